import { expect, test } from "@playwright/test";
import { clearServiceLeftovers, expectOperationSucceeded, haproxyCommand, lab, labDocker, shot } from "./lab";

// Managed routing: its own frontends and backends (no hand-written backend shared with other specs).
const SERVICE = "e2e-truth";
const BACKEND = `sy-${SERVICE}`;

test.afterAll(async () => {
  await clearServiceLeftovers(SERVICE);
});

/**
 * The service page tells what HAProxy does (issue 12): each side's real share
 * of the traffic, and "Routing pending: <reason>" when HAProxy cannot be made
 * to match the record for longer than one reconcile (3 s in e2e). The shared
 * engines are never stopped here: the mismatch is made by stopping the live
 * release's alpha container and taking its weight in HAProxy by hand.
 */
test("HAProxy's share per side and a routing pending state with its reason", async ({ page, baseURL }) => {
  const origin = { origin: baseURL! };
  await clearServiceLeftovers(SERVICE);
  const create = await page.request.post("/api/services", {
    headers: origin,
    data: {
      name: SERVICE,
      image: `${lab().registry}/demo-web`,
      placement: [
        { host: "alpha", replicas: 1 },
        { host: "beta", replicas: 1 },
      ],
      healthCheck: { path: "/health", intervalMs: 300, gateTimeoutS: 10 },
      haproxy: { managed: { bind: "127.0.0.1:18245", previewBind: "127.0.0.1:18246", mode: "http" } },
    },
  });
  expect(create.status(), await create.text()).toBe(201);
  for (const image of ["1.0.0", "1.1.0"]) {
    const deploy = await page.request.post(`/api/services/${SERVICE}/deploy?wait=true`, { headers: origin, data: { image } });
    await expectOperationSucceeded(deploy);
  }
  const sw = await page.request.post(`/api/services/${SERVICE}/switch`, { headers: origin, data: {} });
  expect(sw.status(), await sw.text()).toBe(200);
  const switched = (await sw.json()) as { live: number; routing: { weighted: { server: string; host: string }[]; leftOut: unknown[] } };
  expect(switched.live).toBe(2);
  expect(switched.routing.leftOut).toEqual([]);
  expect(switched.routing.weighted.map((s) => s.host).sort()).toEqual(["alpha", "beta"]);

  await page.goto(`/services/${SERVICE}`);
  await expect(page.getByTestId("side-live").getByTestId("traffic-share")).toHaveText("HAProxy: 100 % of traffic");
  await expect(page.getByTestId("side-standby").getByTestId("traffic-share")).toHaveText("HAProxy: 0 % of traffic — drained");
  await expect(page.getByTestId("routing-pending")).toHaveCount(0);

  // Release 2's alpha server loses its weight by hand while its container is stopped: reconcile cannot put it back.
  const alphaServer = switched.routing.weighted.find((s) => s.host === "alpha")!.server;
  const container = labDocker("alpha").getContainer(`${SERVICE}-${alphaServer}`);
  await container.stop({ t: 1 });
  const opState = async () =>
    (await haproxyCommand(`show servers state ${BACKEND}`))
      .split("\n")
      .map((l) => l.split(" "))
      .find((f) => f[3] === alphaServer)?.[5];
  await expect.poll(opState, { message: "HAProxy sees it down (srv_op_state 0)", timeout: 10_000 }).toBe("0");
  expect(await haproxyCommand(`set server ${BACKEND}/${alphaServer} weight 0`)).toBe("");

  const pending = page.getByTestId("routing-pending");
  await expect(pending).toContainText(`Routing pending: HAProxy backend ${BACKEND}: not up after 10000 ms: ${alphaServer} (down`, {
    timeout: 45_000,
  });
  await expect(pending).toContainText(`${alphaServer} has weight 0 in HAProxy, 100 intended`);
  // What HAProxy really does: release 2's beta server takes it all; release 1 stays drained.
  await expect(page.getByTestId("side-live").getByTestId("traffic-share")).toHaveText("HAProxy: 100 % of traffic");
  await expect(page.getByTestId("side-standby").getByTestId("traffic-share")).toHaveText("HAProxy: 0 % of traffic — drained");
  await page.screenshot({ path: shot("service-routing-pending"), fullPage: true });

  await container.start();
  await expect(pending).toHaveCount(0, { timeout: 45_000 });
  await page.screenshot({ path: shot("service-routing-applied"), fullPage: true });
});
