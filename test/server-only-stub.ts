// In vitest, server modules run outside Next; the real 'server-only' throws outside a React server build.
export {};
