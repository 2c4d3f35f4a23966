import { expect, test } from "@playwright/test";
import { haproxyCommand, lab, shot } from "./lab";

const SERVICE = "e2e-managed";

test("a managed service: the form shows bind errors on the field, creates the frontend, and the HAProxy settings show it with its reload", async ({
  page,
  baseURL,
}) => {
  const headers = { origin: baseURL! };
  await page.request.delete(`/api/services/${SERVICE}`, { headers });
  await page.goto("/services/new");
  await page.getByLabel("Name", { exact: true }).fill(SERVICE);
  await page.getByLabel("Image repository").fill(`${lab().registry}/demo-web`);
  await page.locator('[name="routing"]').selectOption("managed");
  await page.locator('[name="managedBind"]').fill("web:80");
  await page.locator('[name="managedPreviewBind"]').fill("127.0.0.1:18214");
  await page.getByRole("button", { name: "Create service" }).click();
  const managed = page.getByTestId("managed-routing-fields");
  await expect(managed).toContainText("bind: an IP address and port like 127.0.0.1:18200");
  await managed.scrollIntoViewIfNeeded();
  await page.screenshot({ path: shot("managed-routing-form-error"), fullPage: true });

  await page.locator('[name="managedBind"]').fill("127.0.0.1:18213");
  await page.getByRole("button", { name: "Create service" }).click();
  await expect(page).toHaveURL(new RegExp(`/services/${SERVICE}$`));
  expect(await haproxyCommand("show backend")).toContain(`sy-${SERVICE}.preview`);

  await page.goto("/settings/hosts");
  const panel = page.getByTestId("managed-routing");
  await expect(panel.getByTestId(`managed-frontend-fe.sy-${SERVICE}`)).toContainText("127.0.0.1:18213");
  await expect(panel.getByTestId(`managed-frontend-fe.sy-${SERVICE}.preview`)).toContainText("127.0.0.1:18214");
  await expect(panel.getByTestId("managed-reloads")).toContainText(`create ${SERVICE}`);
  await expect(panel.getByTestId("managed-file")).toContainText(`frontend fe.sy-${SERVICE}`);
  await panel.scrollIntoViewIfNeeded();
  await page.screenshot({ path: shot("managed-routing-settings"), fullPage: true });

  const deleted = await page.request.delete(`/api/services/${SERVICE}`, { headers });
  expect(deleted.status()).toBe(200);
  expect(await haproxyCommand("show backend")).not.toContain(`sy-${SERVICE}`);
});
