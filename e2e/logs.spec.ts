import { expect, test } from "@playwright/test";
import { clearServiceLeftovers, expectOperationSucceeded, lab, labDocker, shot } from "./lab";

const SERVICE = "e2e-logs";

async function writeInside(id: string, text: string, fd: 1 | 2) {
  const e = await labDocker("alpha")
    .getContainer(id)
    .exec({ Cmd: ["sh", "-c", `echo '${text}' > /proc/1/fd/${fd}`], AttachStdout: true, AttachStderr: true });
  const stream = await e.start({});
  await new Promise<void>((resolve, reject) => {
    stream.on("end", resolve);
    stream.on("error", reject);
    stream.resume();
  });
}

test.afterAll(() => clearServiceLeftovers(SERVICE));

test("live logs: a service's merged log and a container's log, lines arriving as they are written, filter and download", async ({
  page,
  baseURL,
}) => {
  await clearServiceLeftovers(SERVICE);
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
  const [container] = await labDocker("alpha").listContainers({ filters: { label: [`io.switchyard.service=${SERVICE}`] } });
  const name = container!.Names[0]!.slice(1);

  await page.goto(`/services/${SERVICE}`);
  await page.getByRole("link", { name: "Logs", exact: true }).click();
  await expect(page.getByRole("heading", { name: `Logs: ${SERVICE} (every container)` })).toBeVisible();
  const lines = page.getByTestId("log-lines");
  await expect(lines).toContainText("listening on");
  await expect(lines).toContainText(name);
  await expect(page.getByTestId("log-states")).toContainText("connected");

  const marker = `e2e-line-${Date.now()}`;
  await writeInside(container!.Id, `${marker} to stdout`, 1);
  await writeInside(container!.Id, `${marker} to stderr`, 2);
  await expect(lines).toContainText(`${marker} to stdout`, { timeout: 2000 });
  await expect(lines.locator('[data-stream="stderr"]', { hasText: `${marker} to stderr` })).toBeVisible();
  await page.getByLabel("Filter").fill(marker);
  await expect(lines.locator("div")).toHaveCount(2);
  await page.screenshot({ path: shot("logs-service"), fullPage: true });
  await page.getByLabel("stderr").uncheck();
  await expect(lines.locator("div")).toHaveCount(1);

  const download = await page.request.get(`/api/services/${SERVICE}/logs?format=text&tail=100`);
  expect(download.headers()["content-disposition"]).toMatch(/attachment/);
  expect(await download.text()).toContain(`${name} [stderr] ${marker} to stderr`);

  // The same container from its host's page.
  await page.goto("/");
  await page.getByRole("link", { name: "alpha" }).first().click();
  await page.getByTestId(`container-${name}`).getByRole("link", { name: "logs" }).click();
  await expect(page.getByRole("heading", { name: `Logs: ${name}` })).toBeVisible();
  await expect(page.getByTestId("log-lines")).toContainText(`${marker} to stdout`);
  await page.screenshot({ path: shot("logs-container"), fullPage: true });
});
