import { expect, test } from "@playwright/test";
import { clearServiceLeftovers, expectOperationSucceeded, lab, shot } from "./lab";

const SERVICE = "dbg-e2e"; // no HAProxy routing: the console needs no traffic, only a quarantined container

test("debug console: a command typed on the quarantine page streams its output and lands in the transcript; a live container is refused with the reason", async ({
  page,
  baseURL,
}) => {
  test.setTimeout(180_000);
  const origin = { origin: baseURL! };
  await clearServiceLeftovers(SERVICE);
  if ((await page.request.get(`/api/services/${SERVICE}`)).status() === 404) {
    const create = await page.request.post("/api/services", {
      headers: origin,
      data: {
        name: SERVICE,
        image: `${lab().registry}/demo-web`,
        placement: [{ host: "alpha", replicas: 2 }],
        healthCheck: { path: "/health", intervalMs: 300, gateTimeoutS: 10 },
      },
    });
    expect(create.status(), await create.text()).toBe(201);
  }
  const deploy = await page.request.post(`/api/services/${SERVICE}/deploy?wait=true`, { headers: origin, data: { image: "1.0.0" } });
  await expectOperationSucceeded(deploy);
  type Side = { containers: { name: string; host: string; hostId: number; dockerId: string; quarantined: boolean; state: string }[] };
  const live = ((await (await page.request.get(`/api/services/${SERVICE}`)).json()) as { live: Side }).live.containers.filter(
    (c) => !c.quarantined && c.state === "running",
  );
  expect(live.length).toBe(2);
  const [target, other] = live as [Side["containers"][number], Side["containers"][number]];

  const started = await page.request.post("/api/quarantines?wait=true", {
    headers: origin,
    data: { hostId: target.hostId, container: target.dockerId, reason: "e2e: debug console", lifetimeS: 3600, isolateNetwork: true },
  });
  expect(started.status(), await started.text()).toBe(200);
  const q = ((await started.json()) as { quarantine: { id: number; quarantinedName: string } }).quarantine;
  try {
    await page.goto("/quarantine");
    const card = page.getByTestId(`quarantine-${q.id}`);
    await expect(card.getByTestId("network")).toContainText("host network — cannot be cut off: it uses the host's network");
    const consoleBox = card.getByTestId("debug-console");
    await consoleBox.getByLabel("Command").fill("echo hello-from-console; echo oops-on-stderr >&2; exit 2");
    await consoleBox.getByRole("button", { name: "Run" }).click();
    await expect(consoleBox.getByTestId("console-output")).toContainText("hello-from-console");
    await expect(consoleBox.getByTestId("console-output")).toContainText("[stderr] oops-on-stderr");
    await expect(consoleBox.getByTestId("console-outcome")).toContainText(/^exit 2 in \d+ ms$/);
    const transcript = card.getByTestId("transcript");
    await expect(transcript).toContainText("Console transcript (1)");
    await expect(transcript).toContainText("$ echo hello-from-console; echo oops-on-stderr >&2; exit 2");
    await expect(transcript).toContainText("by admin");
    await expect(transcript).toContainText("hello-from-console");

    await consoleBox.getByLabel("Command").fill("/bin/busybox ps");
    await consoleBox.getByRole("button", { name: "Run" }).click();
    await expect(consoleBox.getByTestId("console-outcome")).toContainText(/^exit 0/);
    await expect(transcript).toContainText("Console transcript (2)");
    await expect(transcript).toContainText("/bin/start");
    await card.scrollIntoViewIfNeeded();
    await page.screenshot({ path: shot("debug-console-quarantine-page"), fullPage: true });

    // The console of the other container (live, serving) is refused, and the page says why.
    await page.goto(`/hosts/${other.hostId}`);
    await page.getByTestId(`container-${other.name}`).getByRole("link", { name: "Console" }).click();
    await expect(page).toHaveURL(new RegExp(`/hosts/${other.hostId}/console/${other.name}$`));
    const refused = page.getByTestId("console-refused");
    await expect(refused).toContainText(`${other.name} on alpha is not quarantined`);
    await expect(refused).toContainText("never runs in a container that is in service");
    await expect(page.getByTestId("debug-console")).toHaveCount(0);
    await page.screenshot({ path: shot("debug-console-refused"), fullPage: true });
    // The API refuses it too, whatever the page shows.
    const direct = await page.request.post(`/api/hosts/${other.hostId}/containers/${other.name}/console`, {
      headers: origin,
      data: { shell: "id" },
    });
    expect(direct.status()).toBe(409);

    // Destroyed: the page shows the bundle's SHA-256 and keeps the transcript.
    expect((await page.request.post(`/api/quarantines/${q.id}/destroy`, { headers: origin, data: {} })).status()).toBe(200);
    await page.goto("/quarantine");
    const ended = page.getByTestId(`quarantine-${q.id}`);
    await expect(ended.getByTestId("forensics-sha256")).toHaveText(/^sha256:[0-9a-f]{64}$/);
    await expect(ended.getByTestId("transcript")).toContainText("Console transcript (2)");
    await expect(ended.getByTestId("debug-console")).toHaveCount(0);
    await ended.scrollIntoViewIfNeeded();
    await page.screenshot({ path: shot("debug-console-destroyed") });
  } finally {
    await page.request.post(`/api/quarantines/${q.id}/destroy`, { headers: origin, data: {} });
    await clearServiceLeftovers(SERVICE);
  }
});
