import { expect, test } from "@playwright/test";
import { engine, labDocker, lab, shot } from "./lab";

const HAND_MADE = `e2e-by-hand-${process.pid}`;

test.describe("fleet", () => {
  test.beforeAll(async () => {
    // A container started by hand on each engine, so the host pages have something that is not ours.
    for (const name of ["alpha", "beta"] as const) {
      const d = labDocker(name);
      await d
        .getContainer(HAND_MADE)
        .remove({ force: true })
        .catch(() => undefined);
      const ref = lab().images["demo-web"]!["1.0.0"]!;
      await new Promise<void>((resolve, reject) =>
        d.pull(ref, (err: Error | null, s: NodeJS.ReadableStream) =>
          err ? reject(err) : d.modem.followProgress(s, (e) => (e ? reject(e) : resolve())),
        ),
      );
      await d.createContainer({ name: HAND_MADE, Image: ref, Labels: { "made.by": "hand" }, HostConfig: { NetworkMode: "none" } });
    }
  });

  test.afterAll(async () => {
    engine("start", "beta");
    for (const name of ["alpha", "beta"] as const)
      await labDocker(name)
        .getContainer(HAND_MADE)
        .remove({ force: true })
        .catch(() => undefined);
  });

  test("shows both lab engines with their facts and containers", async ({ page }) => {
    await page.goto("/");
    for (const name of ["alpha", "beta"]) {
      const card = page.getByTestId(`host-card-${name}`);
      await expect(card.getByText("reachable", { exact: true })).toBeVisible();
      await expect(card).toContainText("overlay2");
      await expect(card.getByTestId("container-counts")).toContainText("total");
    }
    await expect(page.getByTestId("host-card-beta")).toContainText("TLS");
    await page.screenshot({ path: shot("fleet"), fullPage: true });

    await page.getByRole("link", { name: "beta" }).click();
    await expect(page.getByRole("heading", { name: "beta" })).toBeVisible();
    const row = page.getByTestId(`container-${HAND_MADE}`);
    await expect(row).toContainText("127.0.0.1:5000/demo-web@sha256:");
    await expect(row).toContainText("made.by=hand");
    await expect(row).toContainText("created");
    await page.screenshot({ path: shot("host-beta"), fullPage: true });
  });

  test("a stopped engine turns unreachable within 10 s while the other host keeps working, and recovers", async ({ page }) => {
    await page.goto("/");
    await expect(page.getByTestId("host-card-beta").getByText("reachable", { exact: true })).toBeVisible();
    engine("stop", "beta");
    const stoppedAt = Date.now();
    const beta = page.getByTestId("host-card-beta");
    await expect(beta.getByText("unreachable", { exact: true })).toBeVisible({ timeout: 10_000 });
    expect(Date.now() - stoppedAt).toBeLessThan(10_000);
    await expect(beta.getByTestId("host-error")).toContainText(/refused|not answering/);
    await expect(beta.getByTestId("host-error")).toContainText("Last seen");
    await expect(page.getByTestId("host-card-alpha").getByText("reachable", { exact: true })).toBeVisible();
    await page.screenshot({ path: shot("fleet-beta-down"), fullPage: true });

    await page.getByRole("link", { name: "alpha" }).click();
    await expect(page.getByTestId(`container-${HAND_MADE}`)).toBeVisible();

    engine("start", "beta");
    await page.goto("/");
    await expect(page.getByTestId("host-card-beta").getByText("reachable", { exact: true })).toBeVisible({ timeout: 15_000 });
  });
});
