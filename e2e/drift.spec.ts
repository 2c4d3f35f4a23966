import { expect, test, type Page } from "@playwright/test";
import { clearServiceLeftovers, expectOperationSucceeded, lab, labDocker, shot, trafficProbe } from "./lab";

/**
 * The drift report's "Done when", in Chromium against the real lab: a file
 * written with `docker exec` shows the container drifted with the file added
 * on the right host; an ignore rule turns it clean (counted as ignored); a
 * container started by hand is unaccounted; Replace drifted containers makes
 * it clean while the frontend answers every request.
 */
const SERVICE = "drift-web";
const MANUAL = "drift-e2e-manual";
const FILE = "/www/drift-e2e.txt";

const removeLeftovers = () => clearServiceLeftovers(SERVICE, [MANUAL]);

async function serviceContainer(engine: "alpha" | "beta") {
  const list = await labDocker(engine).listContainers({ filters: { label: [`io.switchyard.service=${SERVICE}`] } });
  const c = list.sort((a, b) => b.Created - a.Created)[0]!;
  return { id: c.Id, name: c.Names[0]!.replace(/^\//, "") };
}

async function dockerExec(engine: "alpha" | "beta", id: string, cmd: string[]) {
  const e = await labDocker(engine).getContainer(id).exec({ Cmd: cmd, User: "0", AttachStdout: true, AttachStderr: true });
  const stream = await e.start({});
  await new Promise<void>((resolve, reject) => {
    stream.on("end", resolve);
    stream.on("error", reject);
    stream.resume();
  });
  expect((await e.inspect()).ExitCode).toBe(0);
}

/** Clicks "Scan now" and waits until the page shows that scan as the last one. */
async function scanNow(page: Page) {
  const status = page.getByTestId("scan-status");
  const button = status.getByRole("button", { name: "Scan now" });
  await expect(button).toBeEnabled({ timeout: 30_000 });
  const lastId = async () =>
    Number(
      (await status
        .getByTestId("last-scan")
        .getAttribute("data-scan-id", { timeout: 1000 })
        .catch(() => "0")) ?? 0,
    );
  const before = await lastId();
  await button.click();
  await expect.poll(lastId, { timeout: 30_000 }).toBeGreaterThan(before);
}

const row = (page: Page, host: string, name: string) => page.getByTestId(`drift-host-${host}`).getByTestId(`drift-container-${name}`);

test.beforeAll(removeLeftovers);
test.afterAll(async () => {
  await removeLeftovers();
});

test("drift: a file written by docker exec is found on the right host, ignored by a rule, and replaced with zero failed requests", async ({
  page,
  baseURL,
}) => {
  const frontend = lab().haproxy.frontends[SERVICE]!;
  const create = await page.request.post("/api/services", {
    headers: { origin: baseURL! },
    data: {
      name: SERVICE,
      image: `${lab().registry}/demo-web`,
      placement: [
        { host: "alpha", replicas: 1 },
        { host: "beta", replicas: 1 },
      ],
      healthCheck: { path: "/health", intervalMs: 300, gateTimeoutS: 10 },
      env: [{ name: "API_KEY", value: "e2e-secret-value", secret: true }],
      readOnlyRootFs: false,
      haproxy: { backend: SERVICE, previewBackend: `${SERVICE}-preview` },
    },
  });
  expect(create.status(), await create.text()).toBe(201);
  const deploy = await page.request.post(`/api/services/${SERVICE}/deploy?wait=true`, {
    headers: { origin: baseURL! },
    data: { image: "1.0.0" },
  });
  await expectOperationSucceeded(deploy);
  const manual = await labDocker("beta").createContainer({
    name: MANUAL,
    Image: lab().images["demo-web"]!["1.0.0"]!,
    HostConfig: { NetworkMode: "none" },
  });
  await manual.start();

  await page.goto("/");
  await page.getByRole("link", { name: "Drift", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Drift", exact: true })).toBeVisible();
  await scanNow(page);
  const alpha = await serviceContainer("alpha");
  const beta = await serviceContainer("beta");
  await expect(row(page, "alpha", alpha.name).getByTestId("verdict")).toHaveAttribute("data-verdict", "clean");
  await expect(row(page, "beta", MANUAL).getByTestId("verdict")).toHaveAttribute("data-verdict", "unaccounted");

  // docker exec writes a file: the next scan shows that container drifted, on alpha only.
  await dockerExec("alpha", alpha.id, ["sh", "-c", `echo e2e > ${FILE}`]);
  await scanNow(page);
  await expect(row(page, "alpha", alpha.name).getByTestId("verdict")).toHaveAttribute("data-verdict", "drifted");
  await expect(row(page, "alpha", alpha.name)).toContainText("files 1");
  await expect(row(page, "beta", beta.name).getByTestId("verdict")).toHaveAttribute("data-verdict", "clean");
  await expect(page.getByTestId("count-drifted")).toContainText("1");
  await expect(page.locator("body")).not.toContainText("e2e-secret-value");
  await page.screenshot({ path: shot("drift-report-drifted"), fullPage: true });

  await row(page, "alpha", alpha.name).getByRole("link", { name: alpha.name }).click();
  await expect(page.getByRole("heading", { name: alpha.name })).toBeVisible();
  const change = page.getByTestId(`change-${FILE}`);
  await expect(change).toContainText("added");
  await expect(page.getByTestId("fs-counts")).toContainText("1 change(s): 1 added");
  const [download] = await Promise.all([page.waitForEvent("download"), change.getByRole("link", { name: "Download" }).click()]);
  expect(download.suggestedFilename()).toBe(`${alpha.name}-drift-e2e.txt.tar`);
  await page.screenshot({ path: shot("drift-container"), fullPage: true });

  // An ignore rule for its path turns it clean, with the finding counted as ignored.
  await page.goto("/drift/rules");
  await page.getByLabel("Pattern").fill("/www/drift-e2e.txt");
  await page.getByLabel("Applies to").selectOption(SERVICE);
  await page.getByLabel("Note").fill("written by the e2e test");
  await page.getByRole("button", { name: "Add rule" }).click();
  await expect(page.getByTestId("rule-/www/drift-e2e.txt")).toContainText(SERVICE);
  await page.getByLabel("Pattern").fill("relative/path");
  await page.getByRole("button", { name: "Add rule" }).click();
  await expect(page.getByTestId("rule-form").getByRole("alert")).toContainText("pattern must start with '/'");
  await page.screenshot({ path: shot("drift-rules"), fullPage: true });
  await page.goto("/drift");
  await expect(row(page, "alpha", alpha.name).getByTestId("verdict")).toHaveAttribute("data-verdict", "clean");
  await expect(row(page, "alpha", alpha.name).getByTestId("ignored-count")).toHaveText("(+1 ignored)");
  await page.screenshot({ path: shot("drift-report-ignored"), fullPage: true });

  // Without the rule it is drifted again; Replace drifted containers, under traffic.
  await page.goto("/drift/rules");
  await page.getByTestId("rule-/www/drift-e2e.txt").getByRole("button", { name: "Delete" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Delete" }).click();
  await expect(page.getByTestId("rule-/www/drift-e2e.txt")).toHaveCount(0);
  await page.goto("/drift");
  await expect(row(page, "alpha", alpha.name).getByTestId("verdict")).toHaveAttribute("data-verdict", "drifted");
  const probe = trafficProbe(`${frontend}/version`);
  try {
    await page.getByTestId("replace-drifted").getByRole("button", { name: "Replace drifted containers" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Replace" }).click();
    await expect(page.getByTestId("operation")).toBeVisible();
    // The replacement's scan runs by itself once the drifted container is retired.
    await expect(row(page, "alpha", alpha.name)).toHaveCount(0, { timeout: 60_000 });
    const fresh = await serviceContainer("alpha");
    await expect(row(page, "alpha", fresh.name).getByTestId("verdict")).toHaveAttribute("data-verdict", "clean", { timeout: 30_000 });
    await expect(row(page, "alpha", fresh.name)).toContainText(`${SERVICE} r2`);
    await expect(page.getByTestId("replace-drifted")).not.toContainText("drifted container(s)");
  } finally {
    await probe.stop();
  }
  await page.screenshot({ path: shot("drift-report-replaced"), fullPage: true });
  const total = Object.values(probe.seen).reduce((a, b) => a + b, 0);
  console.log(`frontend answered ${total} requests during the replacement; failures: ${probe.failures.length}`);
  expect(probe.failures).toEqual([]);
  expect(total).toBeGreaterThan(20);

  await page.goto(`/log?service=${SERVICE}`);
  await expect(page.getByText("drift.replace").first()).toBeVisible();
});
