/**
 * Runs in the browser before the app's own code. zod compiles object parsers
 * with `new Function` unless told not to; the Content-Security-Policy forbids
 * eval (proxy.ts), and zod's probe for it would log a CSP violation on every
 * page. Parsing without eval is plenty fast for forms.
 */
import { z } from "zod";

z.config({ jitless: true });
