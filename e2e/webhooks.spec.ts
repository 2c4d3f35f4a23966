import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "@playwright/test";
import { clearServiceLeftovers, expectOperationSucceeded, lab, shot } from "./lab";

const SERVICE = "e2e-hooks";

test.afterAll(() => clearServiceLeftovers(SERVICE));

test("webhook settings: add an endpoint, see its secret once, its deliveries with each answer, and redeliver", async ({
  page,
  baseURL,
}) => {
  await clearServiceLeftovers(SERVICE);
  // A receiver on loopback: the first message it sees is answered 503, everything after 200.
  const got: { id: string; type: string }[] = [];
  const receiver = http.createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8").on("data", (d: string) => (body += d));
    req.on("end", () => {
      got.push({ id: String(req.headers["webhook-id"]), type: (JSON.parse(body) as { type: string }).type });
      res.writeHead(got.length === 1 ? 503 : 200).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
  try {
    await page.goto("/settings/webhooks");
    await expect(page.getByText("No webhook endpoints yet")).toBeVisible();
    await page.getByRole("button", { name: "Add endpoint" }).click();
    const form = page.getByTestId("webhook-form");
    await form.getByLabel("Endpoint URL").fill("ftp://nowhere");
    await form.getByRole("button", { name: "Add endpoint" }).click();
    await expect(form).toContainText("url: must be http:// or https://");
    await form.getByLabel("Endpoint URL").fill(url);
    await form.getByLabel("Description").fill("e2e receiver");
    await form.getByRole("button", { name: "Add endpoint" }).click();
    const secretBox = page.getByTestId("new-webhook-secret");
    await expect(secretBox).toContainText("it will not be shown again");
    await expect(secretBox.getByLabel("Signing secret")).toHaveValue(/^whsec_[A-Za-z0-9+/]{43}=$/);
    await page.screenshot({ path: shot("webhooks-secret-once"), fullPage: true });
    await secretBox.getByRole("button", { name: "I have copied it" }).click();
    await expect(page.getByTestId("new-webhook-secret")).toHaveCount(0);
    await expect(page.getByTestId("webhook")).toContainText(url);

    // A real state change: the first release of a service (deployed as candidate, then live).
    const headers = { origin: baseURL! };
    const spec = {
      name: SERVICE,
      image: `${lab().registry}/demo-web`,
      placement: [{ host: "alpha", replicas: 1 }],
      healthCheck: { path: "/health", intervalMs: 300, gateTimeoutS: 10 },
    };
    expect((await page.request.post("/api/services", { headers, data: spec })).status()).toBe(201);
    const deploy = await page.request.post(`/api/services/${SERVICE}/deploy?wait=1`, { headers, data: { image: "1.0.0" } });
    await expectOperationSucceeded(deploy);

    const card = page.getByTestId("webhook");
    await card.getByRole("button", { name: "Deliveries" }).click();
    const rows = card.getByTestId("webhook-delivery");
    await expect(rows).toHaveCount(2);
    // Newest first: release.switched (first release live), then release.deployed, which was answered 503 and retried (~5 s).
    await expect(rows.nth(1)).toContainText("release.deployed");
    await expect(rows.nth(1)).toContainText("503 → 200", { timeout: 15_000 });
    await expect(rows.nth(1)).toContainText("delivered");
    await expect(rows.nth(0)).toContainText("release.switched");
    await expect(rows.nth(0)).toContainText("200");
    await page.screenshot({ path: shot("webhooks-deliveries"), fullPage: true });

    const before = got.length;
    await rows.nth(0).getByRole("button", { name: "Redeliver" }).click();
    await expect.poll(() => got.length).toBe(before + 1);
    expect(got.at(-1)!.id).toBe(got.find((g) => g.type === "release.switched")!.id);
    await expect(rows.nth(0)).toContainText("200 → 200");

    // The payload is one click away.
    await rows
      .nth(0)
      .getByRole("button", { name: /release\.switched/ })
      .click();
    await expect(card).toContainText("dev.cdevents.service.upgraded.0.2.0");
    await page.screenshot({ path: shot("webhooks-payload"), fullPage: true });

    await card.getByRole("button", { name: "Delete" }).click();
    await expect(page.getByRole("dialog")).toContainText(`Switchyard stops sending to ${url}`);
    await page.getByRole("button", { name: "Delete endpoint" }).click();
    await expect(page.getByText("No webhook endpoints yet")).toBeVisible();
  } finally {
    await new Promise((r) => receiver.close(r));
    await page.request.delete(`/api/services/${SERVICE}`, { headers: { origin: baseURL! } }).catch(() => undefined);
  }
});
