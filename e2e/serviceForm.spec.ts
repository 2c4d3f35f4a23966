import { expect, test, type Page } from "@playwright/test";
import { lab, labDocker, shot } from "./lab";

const FORM_SERVICE = "e2e-form-vol";
const VOL_SERVICE = "e2e-vol";

/** Containers and volumes a run before this one left on alpha (the e2e database starts empty every run). */
async function clearEngine(service: string) {
  const docker = labDocker("alpha");
  for (const c of await docker.listContainers({ all: true, filters: JSON.stringify({ name: [`${service}-r`] }) }))
    await docker.getContainer(c.Id).remove({ force: true });
  const { Volumes } = await docker.listVolumes({ filters: JSON.stringify({ label: [`switchyard.service=${service}`] }) });
  // The noexec overlay and its work volume first: they sit on the data volume.
  for (const v of (Volumes ?? []).map((x) => x.Name).sort((a, b) => b.length - a.length))
    await docker
      .getVolume(v)
      .remove()
      .catch(() => undefined);
}

/** A form field by name: a label that wraps its input also counts the input's value in its accessible name. */
const field = (page: Page, name: string) => page.locator(`[name="${name}"]`);
const volumeTarget = (page: Page, i: number) => page.getByRole("textbox", { name: /^Target of volume/ }).nth(i);

test("the service form edits volumes, tmpfs, process, limits, hosts and labels: field errors first, then the values round-trip", async ({
  page,
}) => {
  await page.goto("/services/new");
  await page.getByLabel("Name", { exact: true }).fill(FORM_SERVICE);
  await page.getByLabel("Image repository").fill(`${lab().registry}/demo-nginx`);

  await page.getByRole("button", { name: "Add volume" }).click();
  await page.getByLabel("Volume name").nth(0).fill("data");
  await volumeTarget(page, 0).fill("var/lib/app");
  await page.getByRole("button", { name: "Add volume" }).click();
  await page.getByLabel("Volume name").nth(1).fill("data");
  await volumeTarget(page, 1).fill("/srv/data");
  await page.getByRole("button", { name: "Add tmpfs" }).click();
  await page.getByLabel("tmpfs target").fill("/srv/data/tmp");
  await page.getByRole("button", { name: "Create service" }).click();

  const volumes = page.getByTestId("volumes-table");
  await expect(volumes.locator("tr").nth(1)).toContainText("path must be absolute (start with '/')");
  await expect(volumes.locator("tr").nth(2)).toContainText('volume name "data" is used twice');
  await expect(page.getByTestId("tmpfs-table")).toContainText(
    'tmpfs /srv/data/tmp may not be on, under or over volume "data" at /srv/data',
  );
  await expect(page).toHaveURL(/\/services\/new$/);
  await page.getByRole("heading", { name: "Storage" }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: shot("service-form-storage-errors"), fullPage: true });

  await volumeTarget(page, 0).fill("/data");
  await page.getByRole("button", { name: "Remove volume data" }).nth(1).click();
  await page.getByLabel("tmpfs target").fill("/tmp");
  await page.getByLabel("Size of tmpfs /tmp in MB").fill("16");
  await page.getByLabel("Command", { exact: true }).fill("-g\ndaemon off;");
  await page.getByLabel("User", { exact: true }).fill("65534:65534");
  await page.getByLabel("Stop grace (s)").fill("10");
  await page.getByLabel("Memory (MB)").fill("64");
  await page.getByLabel("CPUs").fill("0.5");
  await page.getByRole("button", { name: "Add host entry" }).click();
  await page.getByLabel("Extra host name").fill("db.internal");
  await page.getByLabel("Address of extra host db.internal").fill("127.0.0.1");
  await page.getByRole("button", { name: "Add label" }).click();
  await page.getByLabel("Label key").fill("team.owner");
  await page.getByLabel("Value of label team.owner").fill("ops");
  await page.getByRole("button", { name: "Create service" }).click();
  await expect(page).toHaveURL(new RegExp(`/services/${FORM_SERVICE}$`));

  await page.goto(`/services/${FORM_SERVICE}/edit`);
  await expect(page.getByLabel("Volume name")).toHaveValue("data");
  await expect(volumeTarget(page, 0)).toHaveValue("/data");
  await expect(page.getByLabel("volume data is noexec")).toBeChecked();
  await expect(page.getByLabel("tmpfs target")).toHaveValue("/tmp");
  await expect(page.getByLabel("Size of tmpfs /tmp in MB")).toHaveValue("16");
  await expect(field(page, "command")).toHaveValue("-g\ndaemon off;");
  await expect(field(page, "entrypoint")).toHaveValue("");
  await expect(field(page, "user")).toHaveValue("65534:65534");
  await expect(field(page, "stopGraceS")).toHaveValue("10");
  await expect(field(page, "memoryMb")).toHaveValue("64");
  await expect(field(page, "cpus")).toHaveValue("0.5");
  await expect(page.getByLabel("Address of extra host db.internal")).toHaveValue("127.0.0.1");
  await expect(page.getByLabel("Value of label team.owner")).toHaveValue("ops");
  await page.screenshot({ path: shot("service-form-new-sections"), fullPage: true });

  const spec = JSON.parse(await (await page.request.get(`/api/services/${FORM_SERVICE}/export?format=json`)).text()) as Record<
    string,
    unknown
  >;
  expect(JSON.stringify(spec)).toContain('"command":["-g","daemon off;"]');
});

test("the volumes panel lists a deployed volume, refuses to delete it while in use, and deletes it after a confirmation naming host and size", async ({
  page,
  baseURL,
}) => {
  await clearEngine(VOL_SERVICE);
  const create = await page.request.post("/api/services", {
    headers: { origin: baseURL! },
    data: {
      name: VOL_SERVICE,
      image: `${lab().registry}/demo-nginx`,
      placement: [{ host: "alpha", replicas: 1 }],
      healthCheck: { path: "/health", intervalMs: 300, gateTimeoutS: 20 },
      volumes: [{ name: "data", target: "/data" }],
      tmpfs: [{ target: "/tmp", sizeMb: 16 }],
    },
  });
  expect(create.status(), await create.text()).toBe(201);

  try {
    await page.goto(`/services/${VOL_SERVICE}`);
    const panel = page.getByTestId("volumes-panel");
    await expect(panel).toContainText("No volume exists yet");
    await page.getByLabel("Version to deploy").fill("1.0.0");
    await page.getByRole("button", { name: "Deploy version", exact: true }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Deploy", exact: true }).click();
    await expect(page.getByTestId("side-live")).toContainText("Release 1", { timeout: 60_000 });

    const row = panel.getByTestId("volume-alpha-data");
    await expect(row).toContainText(`${VOL_SERVICE}-data`, { timeout: 15_000 });
    await expect(row).toContainText("/volumes/e2e-vol-data/_data");
    await expect(row).toContainText(`${VOL_SERVICE}-r1-alpha-1`);
    await panel.scrollIntoViewIfNeeded();
    await page.screenshot({ path: shot("service-volumes-panel"), fullPage: true });

    await row.getByRole("button", { name: "Delete" }).click();
    const dialog = page.getByRole("dialog", { name: "Delete volume data on alpha?" });
    await expect(dialog).toContainText("host alpha");
    await expect(dialog).toContainText(/\d+(\.\d)? (B|KB|MB)|size unknown/);
    await page.screenshot({ path: shot("service-volume-delete-confirm"), fullPage: true });
    await dialog.getByRole("button", { name: /^Delete .* on alpha$/ }).click();
    await expect(panel).toContainText(`volume data on alpha is in use by ${VOL_SERVICE}-r1-alpha-1`);
    await page.screenshot({ path: shot("service-volume-delete-refused"), fullPage: true });

    // Take the container away behind Switchyard's back: the volume is unused now and can go.
    const docker = labDocker("alpha");
    for (const c of await docker.listContainers({ all: true, filters: JSON.stringify({ name: [`${VOL_SERVICE}-r`] }) }))
      await docker.getContainer(c.Id).remove({ force: true });
    await page.reload();
    await expect(row).toContainText("unused");
    await row.getByRole("button", { name: "Delete" }).click();
    await page
      .getByRole("dialog")
      .getByRole("button", { name: /^Delete .* on alpha$/ })
      .click();
    await expect(panel).toContainText("Deleted volume data on alpha");
    await expect(row).toHaveCount(0);
    const left = await docker.listVolumes({ filters: JSON.stringify({ label: [`switchyard.service=${VOL_SERVICE}`] }) });
    expect(left.Volumes ?? []).toEqual([]);
  } finally {
    await clearEngine(VOL_SERVICE);
  }
});
