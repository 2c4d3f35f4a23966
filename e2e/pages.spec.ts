import fs from "node:fs";
import { expect, test } from "@playwright/test";
import { lab, shot } from "./lab";

test("create a service with the form (field errors first), edit it, and find it in the list", async ({ page }) => {
  await page.goto("/services/new");
  await page.getByLabel("Name", { exact: true }).fill("Bad Name!");
  await page.getByLabel("Image repository").fill("127.0.0.1:5000/demo-web");
  await page.getByRole("button", { name: "Create service" }).click();
  await expect(page.getByText(/service name: 1-40 lowercase/)).toBeVisible();
  await page.screenshot({ path: shot("service-form-errors"), fullPage: true });

  await page.getByLabel("Name", { exact: true }).fill("form-web");
  await page.getByRole("button", { name: "Add variable" }).click();
  await page.getByLabel("Variable name").fill("API_KEY");
  await page.getByLabel("Value of API_KEY").fill("s3cret-value");
  await page.getByLabel("API_KEY is secret").check();
  await page.getByRole("button", { name: "Create service" }).click();
  await expect(page).toHaveURL(/\/services\/form-web$/);
  await expect(page.getByRole("heading", { name: "form-web" })).toBeVisible();

  // The secret is never sent back.
  const spec = await (await page.request.get("/api/services/form-web/export?format=json")).text();
  expect(spec).toContain("API_KEY");
  expect(spec).not.toContain("s3cret-value");

  await page.goto("/services/form-web/edit");
  await expect(page.getByLabel("Name", { exact: true })).toHaveValue("form-web");
  await page.screenshot({ path: shot("service-form-edit"), fullPage: true });

  await page.goto("/services");
  await expect(page.getByRole("link", { name: "form-web" })).toBeVisible();
  await page.screenshot({ path: shot("services-list"), fullPage: true });
});

test("an API token works as a Bearer token once, and stops working when revoked", async ({ page, playwright, baseURL }) => {
  await page.goto("/settings/tokens");
  await page.getByRole("button", { name: "New token" }).click();
  await page.getByLabel("Name").fill("ci-e2e");
  await page.getByRole("button", { name: "Create token" }).click();
  const token = await page.getByLabel("New API token").inputValue();
  expect(token).toMatch(/^syt_/);
  await page.screenshot({ path: shot("api-token-created"), fullPage: true });

  const noCookies = { cookies: [], origins: [] };
  const api = await playwright.request.newContext({
    baseURL,
    storageState: noCookies,
    extraHTTPHeaders: { authorization: `Bearer ${token}` },
  });
  expect((await api.get("/api/services")).status()).toBe(200);
  const anonymous = await playwright.request.newContext({ baseURL, storageState: noCookies });
  expect((await anonymous.get("/api/services")).status()).toBe(401);

  await page.getByRole("button", { name: "I have copied it" }).click();
  page.once("dialog", (d) => d.accept());
  await page
    .getByRole("button", { name: /Revoke/ })
    .first()
    .click();
  await expect(page.getByText("revoked").first()).toBeVisible();
  expect((await api.get("/api/services")).status()).toBe(401);
  await api.dispose();
  await anonymous.dispose();
});

test("the hosts page lists both lab engines without key material", async ({ page }) => {
  await page.goto("/settings/hosts");
  await expect(page.getByTestId("host-row-alpha")).toBeVisible();
  await expect(page.getByTestId("host-row-beta")).toContainText("TLS");
  const body = await (await page.request.get("/api/hosts")).text();
  expect(body).not.toContain("PRIVATE KEY");
  await page.screenshot({ path: shot("hosts-settings"), fullPage: true });
});

test("the hosts page shows an insecure plain-tcp host with its badge and an SSH host with its pinned key", async ({ page, baseURL }) => {
  const ssh = lab().ssh;
  const headers = { origin: baseURL! };
  test.skip(!ssh, "lab.json has no ssh entry (scripts/lab/sshd.sh up)");
  const privateKey = fs.readFileSync(ssh!.privateKey, "utf8");
  // 0.0.0.0 is this machine (never a network target), yet not a loopback name: it needs the insecure flag.
  const refused = await page.request.post("/api/hosts", { headers, data: { name: "e2e-plain", url: "tcp://0.0.0.0:1" } });
  expect(refused.status()).toBe(400);
  expect(await refused.text()).toContain("plain tcp:// without TLS to a non-loopback address is refused");
  const created: number[] = [];
  for (const data of [
    { name: "e2e-plain", url: "tcp://0.0.0.0:1", insecure: true },
    { name: "e2e-ssh", url: ssh!.url, sshKey: privateKey, hostKeyFingerprint: ssh!.hostKeyFingerprint },
  ]) {
    const res = await page.request.post("/api/hosts", { headers, data });
    expect(res.status(), await res.text()).toBe(201);
    created.push(((await res.json()) as { host: { id: number } }).host.id);
  }
  try {
    await page.goto("/settings/hosts");
    await expect(page.getByTestId("host-row-e2e-plain").getByTestId("insecure-badge")).toContainText("insecure");
    await expect(page.getByTestId("host-row-e2e-ssh").getByTestId("host-key")).toContainText(ssh!.hostKeyFingerprint);
    await expect(page.getByTestId("host-row-alpha").getByTestId("insecure-badge")).toHaveCount(0);

    // First use: the form reads the server's key and the admin takes it over.
    await page.getByRole("button", { name: "Add host" }).click();
    await page.getByLabel("Engine URL").fill(ssh!.url);
    await page.getByRole("button", { name: "Fetch host key" }).click();
    await expect(page.getByTestId("fetched-host-key")).toContainText(ssh!.hostKeyFingerprint);
    await page.getByRole("button", { name: "Use this fingerprint" }).click();
    await expect(page.getByLabel(/SSH host key fingerprint/)).toHaveValue(ssh!.hostKeyFingerprint);
    await page.screenshot({ path: shot("hosts-settings-security"), fullPage: true });
  } finally {
    for (const id of created) await page.request.delete(`/api/hosts/${id}`, { headers });
  }
});
