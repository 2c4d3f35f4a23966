import { defineConfig } from "@playwright/test";
import path from "node:path";

const PORT = Number(process.env.E2E_PORT ?? 3210);
export const E2E_DATA_DIR = path.resolve(process.env.E2E_DATA_DIR ?? "test-results/e2e-data");
const ROOT = path.resolve(".");

/**
 * Browser tests against the built app (`next build` first), on the real lab,
 * in Debian's Chromium (Playwright cannot download browsers here).
 */
export default defineConfig({
  testDir: "e2e",
  timeout: 120_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
        "--no-first-run",
      ],
    },
  },
  projects: [
    { name: "setup", testMatch: /auth\.setup\.ts/ },
    { name: "ui", dependencies: ["setup"], use: { storageState: "e2e/.auth/admin.json" } },
  ],
  webServer: {
    command: `bash scripts/e2eServer.sh ${PORT}`,
    url: `http://127.0.0.1:${PORT}/login`,
    reuseExistingServer: false,
    timeout: 60_000,
    env: {
      SWITCHYARD_DATA_DIR: E2E_DATA_DIR,
      SWITCHYARD_ADMIN_USER: "admin",
      SWITCHYARD_ADMIN_PASSWORD: "e2e-admin-password",
      SWITCHYARD_HAPROXY_SOCKET: path.join(path.resolve(process.env.LAB_DIR ?? path.join(ROOT, ".lab")), "haproxy/admin.sock"),
      // Managed routing: the lab HAProxy loads every *.cfg in managed.d; the e2e server writes its own file there.
      SWITCHYARD_HAPROXY_CONFIG: ["haproxy/haproxy.cfg", "haproxy/managed.d"]
        .map((p) => path.join(path.resolve(process.env.LAB_DIR ?? path.join(ROOT, ".lab")), p))
        .join(","),
      SWITCHYARD_HAPROXY_MANAGED_FILE: path.join(
        path.resolve(process.env.LAB_DIR ?? path.join(ROOT, ".lab")),
        `haproxy/managed.d/e2e-${PORT}.cfg`,
      ),
      SWITCHYARD_HAPROXY_MASTER_SOCKET: path.join(path.resolve(process.env.LAB_DIR ?? path.join(ROOT, ".lab")), "haproxy/master.sock"),
      SWITCHYARD_RECONCILE_INTERVAL_S: "3",
    },
  },
});
