import { execFileSync } from "node:child_process";
import { expect, test, type Page } from "@playwright/test";
import { clearServiceLeftovers, expectOperationSucceeded, lab, labDocker, shot } from "./lab";

const SERVICE = "e2e-live";

/** Marks the page: a reload (or a navigation) would lose the mark. */
async function markPage(page: Page): Promise<void> {
  await page.evaluate(() => ((window as unknown as { liveMark?: number }).liveMark = 42));
}
async function stillMarked(page: Page): Promise<boolean> {
  return page.evaluate(() => (window as unknown as { liveMark?: number }).liveMark === 42);
}

/** Counts the page's requests whose path is exactly `path`. */
function requestCounter(page: Page, path: string) {
  let count = 0;
  page.on("request", (r) => {
    if (new URL(r.url()).pathname === path) count++;
  });
  return () => count;
}

test.describe("live stream", () => {
  // One service for the describe: after a failure the rest are skipped rather than set up again.
  test.describe.configure({ mode: "serial" });

  test.beforeAll(async ({ request, baseURL }) => {
    await clearServiceLeftovers(SERVICE);
    const create = await request.post("/api/services", {
      headers: { origin: baseURL! },
      data: {
        name: SERVICE,
        image: `${lab().registry}/demo-web`,
        placement: [{ host: "alpha", replicas: 1 }],
        healthCheck: { path: "/health", intervalMs: 300, gateTimeoutS: 20 },
      },
    });
    expect(create.status(), await create.text()).toBe(201);
    const deploy = await request.post(`/api/services/${SERVICE}/deploy?wait=true`, {
      headers: { origin: baseURL! },
      data: { image: "1.0.0" },
    });
    await expectOperationSucceeded(deploy);
  });

  test.afterAll(async () => {
    await clearServiceLeftovers(SERVICE);
  });

  test("a container killed with the Docker CLI shows as exited on its host and service pages within 2 s, by stream, without a reload", async ({
    page,
    context,
    request,
  }) => {
    const hosts = (await (await request.get("/api/hosts")).json()) as { hosts: { id: number; name: string }[] };
    const alpha = hosts.hosts.find((h) => h.name === "alpha")!;
    const container = (await labDocker("alpha").listContainers()).find((c) => c.Names.some((n) => n.startsWith(`/${SERVICE}-r1-`)));
    expect(container, "the deployed container runs on alpha").toBeTruthy();
    const name = container!.Names[0]!.slice(1);

    const hostPage = page;
    const servicePage = await context.newPage();
    const hostPolls = requestCounter(hostPage, `/api/hosts/${alpha.id}/containers`);
    const servicePolls = requestCounter(servicePage, `/api/services/${SERVICE}`);
    await hostPage.goto(`/hosts/${alpha.id}`);
    await servicePage.goto(`/services/${SERVICE}`);
    for (const p of [hostPage, servicePage]) {
      await expect(p.getByTestId("live-indicator")).toHaveAttribute("data-status", "live");
      await expect(p.getByTestId(`container-${name}`)).toContainText("running");
      await markPage(p);
    }
    await hostPage.screenshot({ path: shot("live-indicator"), clip: { x: 0, y: 0, width: 1280, height: 60 } });

    // While live, the pages do not poll (the fallback interval is ≥ 10 s): 4 s without a request for either.
    // A stream message in the window (a real change somewhere) makes the pages refetch, which is not polling:
    // such a window does not count, and the next one is measured (at most 3).
    const lastIds = () =>
      Promise.all([hostPage, servicePage].map((p) => p.getByTestId("live-indicator").getAttribute("data-last-event-id")));
    let quietWindow = false;
    for (let attempt = 0; attempt < 3 && !quietWindow; attempt++) {
      const before = { host: hostPolls(), service: servicePolls(), ids: await lastIds() };
      await hostPage.waitForTimeout(4000);
      if (JSON.stringify(await lastIds()) !== JSON.stringify(before.ids)) continue;
      quietWindow = true;
      expect(hostPolls() - before.host, "host page polled while live").toBe(0);
      expect(servicePolls() - before.service, "service page polled while live").toBe(0);
    }
    expect(quietWindow, "a 4 s window without stream messages on an idle lab").toBe(true);
    const idsBefore = await lastIds();
    const hostPollsBefore = hostPolls();

    const alphaUrl = lab().hosts.find((h) => h.name === "alpha")!.url;
    const started = Date.now();
    execFileSync("docker", ["-H", alphaUrl, "kill", name], { stdio: "pipe" });
    // The container is dead when the CLI returns (starting the CLI itself takes a while on a busy machine).
    const killedAt = Date.now();
    console.log(`[live] docker kill took ${killedAt - started} ms`);
    await Promise.all(
      [hostPage, servicePage].map((p) => expect(p.getByTestId(`container-${name}`)).toContainText("exited", { timeout: 2000 })),
    );
    const ms = Date.now() - killedAt;
    console.log(`[live] exited shown on both pages ${ms} ms after docker kill`);
    expect(ms).toBeLessThan(2000);

    for (const [i, p] of [hostPage, servicePage].entries()) {
      expect(await stillMarked(p), "the page was not reloaded").toBe(true);
      const id = await p.getByTestId("live-indicator").getAttribute("data-last-event-id");
      expect(id, "the update came with a stream message").not.toBe(idsBefore[i]);
    }
    // Exactly the refetch the stream asked for, no polling burst.
    expect(hostPolls() - hostPollsBefore).toBeLessThanOrEqual(2);
    await hostPage.screenshot({ path: shot("live-host-exited"), fullPage: true });
    await servicePage.screenshot({ path: shot("live-service-exited"), fullPage: true });
  });

  test("a deploy started elsewhere streams its steps into the open service page", async ({ page, request, baseURL }) => {
    const polls = requestCounter(page, `/api/operations`);
    await page.goto(`/services/${SERVICE}`);
    await expect(page.getByTestId("live-indicator")).toHaveAttribute("data-status", "live");
    await markPage(page);
    const started = await request.post(`/api/services/${SERVICE}/deploy`, { headers: { origin: baseURL! }, data: { image: "1.1.0" } });
    expect(started.status(), await started.text()).toBe(202);
    const { operation } = (await started.json()) as { operation: { id: number } };
    const op = page.getByTestId("operation");
    await expect(op).toContainText(`#${operation.id}`);
    await expect(op).toContainText("start containers");
    await expect(op).toContainText("succeeded", { timeout: 30_000 });
    await expect(page.getByTestId("side-candidate")).toContainText("Release 2");
    expect(await stillMarked(page), "the page was not reloaded").toBe(true);
    expect(polls(), "no operation polling: the steps came by stream").toBe(0);
    await page.screenshot({ path: shot("live-operation"), fullPage: true });
  });
});

test.describe("live indicator", () => {
  test("when the stream is down the page says reconnecting and polls; it goes live again by itself", async ({ page }) => {
    await page.route("**/api/stream**", (route) => route.abort());
    const polls = requestCounter(page, "/api/fleet");
    await page.goto("/");
    const indicator = page.getByTestId("live-indicator");
    await expect(indicator).toHaveAttribute("data-status", "reconnecting");
    const before = polls();
    await page.waitForTimeout(4000);
    expect(polls() - before, "the fallback polls every 3 s").toBeGreaterThanOrEqual(1);
    await indicator.screenshot({ path: shot("live-indicator-reconnecting") });
    await page.unroute("**/api/stream**");
    await expect(indicator).toHaveAttribute("data-status", "live", { timeout: 10_000 });
  });
});
