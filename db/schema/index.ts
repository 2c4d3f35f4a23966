export * from "./users";
export * from "./hosts";
export * from "./releases";
export * from "./operations";
export * from "./events";
export * from "./quarantine";
export * from "./drift";
export * from "./webhooks";
