import { expect, test, type Page } from "@playwright/test";
import { lab, labDocker, shot } from "./lab";

/** A service without routing (exec check), so it needs no HAProxy backend of the lab. */
const SERVICE = "e2e-diff";

/** Containers of an earlier run (the e2e database is fresh each run, the lab's engines are not). */
async function removeLeftovers() {
  const docker = labDocker("alpha");
  for (const c of await docker.listContainers({ all: true })) {
    const name = (c.Names[0] ?? "").replace(/^\//, "");
    if (name.startsWith(`${SERVICE}-r`))
      await docker
        .getContainer(c.Id)
        .remove({ force: true })
        .catch(() => undefined);
  }
}

test.beforeAll(removeLeftovers);
test.afterAll(removeLeftovers);

async function confirmAction(page: Page, button: string, confirm: string) {
  await page.getByRole("button", { name: button, exact: true }).click();
  await page.getByRole("dialog").getByRole("button", { name: confirm, exact: true }).click();
}

const spec = (logLevel: string, pids: number) => ({
  name: SERVICE,
  image: `${lab().registry}/demo-web`,
  placement: [{ host: "alpha", replicas: 1 }],
  healthCheck: { kind: "exec", command: ["/bin/busybox", "true"], intervalMs: 200, gateTimeoutS: 10 },
  env: [
    { name: "LOG_LEVEL", value: logLevel },
    { name: "API_TOKEN", value: "e2e-secret-value", secret: true },
  ],
  limits: { pids },
});

test("Deploy spec change: the live image with the edited spec, and the release diff shows the env and limit changes", async ({
  page,
  baseURL,
}) => {
  const headers = { origin: baseURL! };
  const create = await page.request.post("/api/services", { headers, data: spec("info", 256) });
  expect(create.status(), await create.text()).toBe(201);

  await page.goto(`/services/${SERVICE}`);
  await page.getByLabel("Version to deploy").fill("1.0.0");
  await confirmAction(page, "Deploy version", "Deploy");
  await expect(page.getByTestId("side-live")).toContainText("Release 1", { timeout: 30_000 });

  const deploySpec = page.getByRole("button", { name: "Deploy spec change", exact: true });
  await expect(deploySpec).toBeDisabled();
  await expect(deploySpec).toHaveAttribute("title", /Nothing to deploy: the spec is the same as release 1/);

  const edit = await page.request.put(`/api/services/${SERVICE}`, { headers, data: spec("debug", 512) });
  expect(edit.status(), await edit.text()).toBe(200);
  await expect(page.getByTestId("spec-changed")).toContainText("env.LOG_LEVEL, limits.pids", { timeout: 10_000 });

  await deploySpec.click();
  const dialog = page.getByRole("dialog");
  await expect(dialog.getByTestId("spec-changes")).toContainText("env.LOG_LEVEL");
  await expect(dialog.getByTestId("spec-changes")).toContainText("limits.pids");
  await dialog.getByRole("button", { name: "Deploy spec change", exact: true }).click();
  await expect(page.getByTestId("side-candidate")).toContainText("Release 2", { timeout: 30_000 });

  await page.getByTestId("release-2").getByRole("button", { name: "Changes" }).click();
  const diff = page.getByTestId("release-diff");
  await expect(diff).toContainText("image digest same");
  const rows = diff.getByTestId("spec-change");
  await expect(rows).toHaveCount(2);
  await expect(rows.filter({ hasText: "env.LOG_LEVEL" })).toContainText("info → debug");
  await expect(rows.filter({ hasText: "limits.pids" })).toContainText("256 → 512");
  await expect(diff).not.toContainText("e2e-secret-value");
  await diff.scrollIntoViewIfNeeded();
  await page.screenshot({ path: shot("release-diff"), fullPage: true });
});
