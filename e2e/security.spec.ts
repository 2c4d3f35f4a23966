/**
 * Every page works under the Content-Security-Policy (no console errors, no
 * CSP violations, React hydrates), the security headers are there, and a
 * viewer sees the release buttons disabled with the reason and gets 403 from
 * the API. Logs in by itself: it does not depend on e2e/.auth/admin.json.
 */
import fs from "node:fs";
import http from "node:http";
import { expect, test, type APIRequestContext, type Browser, type Page } from "@playwright/test";
import { lab, shot } from "./lab";

const SERVICE = "sec-web";
const NO_STATE = { cookies: [], origins: [] };

test.use({ storageState: NO_STATE });

type Watch = { problems: string[] };

/** The not-found page answers 404 by design: Chromium logs that as a failed resource. */
const expected404 = (p: string) =>
  p.startsWith("/no-such-page: console: Failed to load resource: the server responded with a status of 404");

/** Console errors, uncaught exceptions and CSP violations of a page. */
async function watch(page: Page): Promise<Watch> {
  const w: Watch = { problems: [] };
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || "inline"} (${e.sourceFile}:${e.lineNumber})`);
    });
  });
  const where = () => new URL(page.url()).pathname;
  page.on("console", (m) => {
    if (m.type() === "error") w.problems.push(`${where()}: console: ${m.text()} [${m.location().url}]`);
  });
  page.on("pageerror", (err) => w.problems.push(`${where()}: pageerror: ${err.message}`));
  return w;
}

async function login(request: APIRequestContext, baseURL: string, username: string, password: string) {
  const res = await request.post("/api/auth/login", { headers: { origin: baseURL }, data: { username, password } });
  expect(res.status(), await res.text()).toBe(200);
}

async function asAdmin(browser: Browser, baseURL: string) {
  const context = await browser.newContext({ storageState: NO_STATE, baseURL });
  await login(context.request, baseURL, "admin", "e2e-admin-password");
  return context;
}

function cspOf(headers: Record<string, string>) {
  const csp = headers["content-security-policy"] ?? "";
  const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)?.[1];
  return { csp, nonce };
}

test.describe.configure({ mode: "serial" });

test("every page renders under the CSP with no console error, and carries the security headers", async ({ browser, baseURL }) => {
  const context = await asAdmin(browser, baseURL!);
  const api = context.request;
  const created = await api.post("/api/services", {
    headers: { origin: baseURL! },
    data: {
      name: SERVICE,
      image: `${lab().registry}/demo-web`,
      placement: [{ host: "alpha", replicas: 1 }],
      haproxy: { backend: "sec-web", previewBackend: "sec-web-preview" },
    }, // never deployed: the backends need not exist in HAProxy
  });
  expect([201, 409], await created.text()).toContain(created.status());
  const hosts = (await (await api.get("/api/hosts")).json()) as { hosts: { id: number; name: string }[] };
  const alpha = hosts.hosts.find((h) => h.name === "alpha")!;

  const page = await context.newPage();
  const w = await watch(page);
  const pages: [string, RegExp][] = [
    ["/", /Fleet/],
    [`/hosts/${alpha.id}`, /alpha/],
    ["/services", /Services/],
    [`/services/${SERVICE}`, new RegExp(SERVICE)],
    ["/services/new", /service/i],
    [`/services/${SERVICE}/edit`, new RegExp(SERVICE)],
    ["/log", /Release log/],
    ["/settings/hosts", /Docker hosts/],
    ["/settings/tokens", /API tokens/],
    ["/settings/users", /Users/],
    ["/drift", /Drift/],
    ["/drift/rules", /rule/i],
    ["/quarantine", /Quarantine/],
    ["/no-such-page", /Not found/],
  ];
  const nonces = new Set<string>();
  for (const [path, heading] of pages) {
    const res = await page.goto(path);
    expect(res, path).not.toBeNull();
    const headers = res!.headers();
    const { csp, nonce } = cspOf(headers);
    expect(nonce, `${path}: CSP with a nonce: ${csp}`).toBeTruthy();
    expect(csp).toContain(`script-src 'self' 'nonce-${nonce}' 'strict-dynamic'`);
    for (const d of [
      "frame-ancestors 'none'",
      "object-src 'none'",
      "base-uri 'self'",
      "form-action 'self'",
      "connect-src 'self'",
      "default-src 'self'",
    ])
      expect(csp, path).toContain(d);
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    expect(headers["x-frame-options"]).toBe("DENY");
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["referrer-policy"]).toBe("same-origin");
    nonces.add(nonce!);
    // Every script the server sent carries this response's nonce.
    const scriptNonces = await page
      .locator("script")
      .evaluateAll((els) => els.map((e) => (e as HTMLScriptElement).nonce || (e.getAttribute("src") ? "external" : "none")));
    expect(
      scriptNonces.filter((n) => n !== nonce && n !== "external"),
      `${path}: inline scripts without the nonce`,
    ).toEqual([]);
    await expect(page.locator("main, body").first()).toContainText(heading);
    await page.waitForLoadState("networkidle");
  }
  expect(nonces.size, "a fresh nonce per response").toBe(pages.length);

  // React is alive under the policy: client-side state and navigation work.
  await page.goto("/settings/users");
  await page.getByRole("button", { name: "New user" }).click();
  const form = page.getByTestId("user-form");
  await form.getByLabel("Username").fill("sec-ui-user");
  await form.getByLabel("Initial password").fill("short");
  await form.getByRole("button", { name: "Create user" }).click();
  await expect(form.getByRole("alert")).toContainText(/✖ password must be at least 10 characters\s+→ at password/);
  await form.getByLabel("Initial password").fill("sec-ui-user-password");
  await form.getByLabel("Role").selectOption("operator");
  await form.getByRole("button", { name: "Create user" }).click();
  await expect(page.getByTestId("user-row-sec-ui-user")).toBeVisible();
  await expect(page.getByLabel("Role of sec-ui-user")).toHaveValue("operator");
  await expect(page.getByTestId("user-row-admin").getByRole("button", { name: "Delete" })).toHaveAttribute(
    "title",
    "You cannot delete yourself.",
  );
  await page.screenshot({ path: shot("security-users-page"), fullPage: true });
  await page.getByRole("link", { name: "Services" }).click();
  await expect(page).toHaveURL(/\/services$/);
  await expect(page.getByRole("heading", { name: "Services" })).toBeVisible();
  await page.screenshot({ path: shot("security-services-under-csp"), fullPage: true });

  // API answers are data: nothing may load from them or frame them.
  const apiRes = await api.get("/api/me");
  expect(apiRes.headers()["content-security-policy"]).toBe("default-src 'none'; frame-ancestors 'none'; sandbox");
  expect(apiRes.headers()["x-content-type-options"]).toBe("nosniff");

  const problems = w.problems.filter((p) => !expected404(p));
  expect(problems, problems.join("\n")).toEqual([]);
  await context.close();
});

test("the login page works under the CSP and marks the cookie HttpOnly and SameSite=Strict", async ({ browser, baseURL }) => {
  const context = await browser.newContext({ storageState: NO_STATE });
  const page = await context.newPage();
  const w = await watch(page);
  const res = await page.goto("/login");
  expect(cspOf(res!.headers()).nonce).toBeTruthy();
  await page.getByLabel("Username").fill("admin");
  await page.getByLabel("Password").fill("e2e-admin-password");
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.getByRole("heading", { name: "Fleet" })).toBeVisible();
  const cookie = (await context.cookies(baseURL!)).find((c) => c.name === "switchyard_session")!;
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Strict", secure: false });
  expect(w.problems, w.problems.join("\n")).toEqual([]);
  await context.close();
});

test("a viewer sees the release buttons disabled with the reason, no Users page, and gets 403 from the API", async ({
  browser,
  baseURL,
}) => {
  const adminContext = await asAdmin(browser, baseURL!);
  const created = await adminContext.request.post("/api/users", {
    headers: { origin: baseURL! },
    data: { username: "sec-viewer", password: "sec-viewer-password", role: "viewer" },
  });
  expect([201, 409], await created.text()).toContain(created.status());
  await adminContext.close();

  const context = await browser.newContext({ storageState: NO_STATE });
  const page = await context.newPage();
  const w = await watch(page);
  await page.goto("/login");
  await page.getByLabel("Username").fill("sec-viewer");
  await page.getByLabel("Password").fill("sec-viewer-password");
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.getByTestId("current-user")).toContainText("sec-viewer (viewer)");
  await expect(page.getByRole("link", { name: "Users" })).toHaveCount(0);

  await page.goto(`/services/${SERVICE}`);
  await page.getByLabel("Version to deploy").fill("1.1.0");
  for (const name of ["Deploy version", "Switch traffic", "Redeploy", "Rollback", "Retire"]) {
    const button = page.getByRole("button", { name, exact: true });
    await expect(button, name).toBeDisabled();
    await expect(button, name).toHaveAttribute("title", "Needs the operator role.");
  }
  await expect(page.getByTestId("role-notice")).toHaveText(/need the operator role/);
  await page.screenshot({ path: shot("security-viewer-service-page"), fullPage: true });

  await page.goto("/services");
  await expect(page.getByRole("button", { name: "New service" })).toBeDisabled();
  await page.goto("/settings/hosts");
  await expect(page.getByRole("button", { name: "Add host" })).toHaveAttribute("title", "Only admins can change hosts.");
  await page.goto("/settings/users");
  await expect(page.getByText("Managing users needs the admin role.")).toBeVisible();

  for (const [path, data] of [
    [`/api/services/${SERVICE}/switch`, {}],
    [`/api/services/${SERVICE}/deploy`, { image: "1.1.0" }],
    ["/api/users", { username: "x", password: "long-enough-pw", role: "admin" }],
  ] as const) {
    const res = await page.request.post(path, { headers: { origin: baseURL! }, data });
    expect(res.status(), path).toBe(403);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/needs the (operator|admin) role; you are viewer/);
  }
  // The API refusals above are requests, not page errors: the pages themselves logged nothing.
  expect(w.problems, w.problems.join("\n")).toEqual([]);
  await context.close();
});

test("an operator edits a spec but not its HAProxy backends, and cannot create a service", async ({ browser, baseURL }) => {
  const adminContext = await asAdmin(browser, baseURL!);
  const created = await adminContext.request.post("/api/users", {
    headers: { origin: baseURL! },
    data: { username: "sec-operator", password: "sec-operator-password", role: "operator" },
  });
  expect([201, 409], await created.text()).toContain(created.status());
  await adminContext.close();

  const context = await browser.newContext({ storageState: NO_STATE, baseURL });
  await login(context.request, baseURL!, "sec-operator", "sec-operator-password");
  const page = await context.newPage();
  const w = await watch(page);
  await page.goto("/services");
  const create = page.getByRole("button", { name: "New service" });
  await expect(create).toBeDisabled();
  await expect(create).toHaveAttribute("title", /admin role/);

  await page.goto(`/services/${SERVICE}/edit`);
  await expect(page.getByTestId("service-form")).toBeVisible();
  await expect(page.locator('input[name="backend"]')).toBeDisabled();
  await expect(page.locator('input[name="previewBackend"]')).toBeDisabled();
  await expect(page.getByTestId("backends-locked")).toHaveText(/Only an admin chooses HAProxy backends/);
  await expect(page.getByRole("button", { name: "Save changes" })).toBeEnabled();
  await page.screenshot({ path: shot("security-operator-edit-service"), fullPage: true });

  // The API says the same: the spec with another backend is refused, naming the rule.
  const spec = (
    (await (await context.request.get(`/api/services/${SERVICE}`)).json()) as { service: { spec: { haproxy: { backend: string } } } }
  ).service.spec;
  const res = await context.request.put(`/api/services/${SERVICE}`, {
    headers: { origin: baseURL! },
    data: { ...spec, haproxy: { ...spec.haproxy, backend: "it-web" } },
  });
  expect(res.status(), await res.text()).toBe(403);
  expect(w.problems, w.problems.join("\n")).toEqual([]);
  await context.close();
});

test("log out everywhere ends the user's other sessions", async ({ browser, baseURL }) => {
  const other = await browser.newContext({ storageState: NO_STATE, baseURL });
  await login(other.request, baseURL!, "sec-viewer", "sec-viewer-password");
  expect((await other.request.get("/api/me")).status()).toBe(200);

  const context = await browser.newContext({ storageState: NO_STATE, baseURL });
  await login(context.request, baseURL!, "sec-viewer", "sec-viewer-password");
  const page = await context.newPage();
  await page.goto("/services");
  await page.getByTestId("current-user").click();
  await page.getByRole("menuitem", { name: "Log out everywhere" }).click();
  await expect(page).toHaveURL(/\/login$/);
  expect((await other.request.get("/api/me")).status()).toBe(401);
  await other.close();
  await context.close();
});

test("an API token limited to a service changes only that service", async ({ browser, baseURL, playwright }) => {
  const context = await asAdmin(browser, baseURL!);
  const page = await context.newPage();
  await page.goto("/settings/tokens");
  await page.getByRole("button", { name: "New token" }).click();
  await page.getByLabel("Name").fill("sec-scoped");
  await page.getByLabel(/Limit to services/).check();
  await page.getByTestId("token-services").getByLabel(SERVICE).check();
  await page.getByRole("button", { name: "Create token" }).click();
  const token = await page.getByLabel("New API token").inputValue();
  await expect(page.getByTestId("new-token")).toContainText(`limited to ${SERVICE}`);
  await page.getByRole("button", { name: "I have copied it" }).click();
  await expect(page.getByTestId("token-row-sec-scoped").getByTestId("token-scope")).toHaveText(SERVICE);

  const api = await playwright.request.newContext({
    baseURL,
    storageState: NO_STATE,
    extraHTTPHeaders: { authorization: `Bearer ${token}` },
  });
  expect((await api.get("/api/services")).status()).toBe(200);
  // Creating a service needs the admin role (it claims backends); a change to another service is outside the scope.
  const create = await api.post("/api/services", {
    data: {
      name: "sec-other",
      image: `${lab().registry}/demo-web`,
      placement: [{ host: "alpha", replicas: 1 }],
      haproxy: { backend: "sec-other" },
    },
  });
  expect(create.status()).toBe(403);
  const outside = await api.post("/api/services/sec-other/switch", { data: {} });
  expect(outside.status()).toBe(403);
  expect(((await outside.json()) as { error: { message: string } }).error.message).toMatch(
    /limited to sec-web; it may not change sec-other/,
  );
  const inside = await api.post(`/api/services/${SERVICE}/switch`, { data: {} });
  expect(inside.status(), "allowed by the scope; refused only because there is no candidate").toBe(409);
  await api.dispose();
  await context.close();
});

/** The process listening on a local TCP port (the dashboard), from /proc: its socket's inode, then the process holding it. */
function listenerPid(port: number): number {
  const hex = port.toString(16).toUpperCase().padStart(4, "0");
  const inodes = new Set<string>();
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    for (const line of fs.readFileSync(table, "utf8").split("\n").slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f[1]?.endsWith(`:${hex}`) && f[3] === "0A") inodes.add(f[9]!); // 0A: LISTEN
    }
  }
  for (const pid of fs.readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      for (const fd of fs.readdirSync(`/proc/${pid}/fd`)) {
        const m = /^socket:\[(\d+)\]$/.exec(fs.readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (m && inodes.has(m[1]!)) return Number(pid);
      }
    } catch {
      // a process that ended or is not ours to read
    }
  }
  throw new Error(`no process listens on port ${port}`);
}

const rssBytes = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))![1]) * 1024;

/** POSTs `total` bytes chunked (no Content-Length), honouring backpressure; resolves with the answer and how much was sent by then. */
function chunkedPost(url: URL, total: number): Promise<{ status: number; body: string; sentWhenAnswered: number }> {
  return new Promise((resolve, reject) => {
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    let sent = 0;
    const req = http.request(url, { method: "POST", headers: { origin: url.origin, "content-type": "application/json" } });
    req.on("response", (res) => {
      const sentWhenAnswered = sent;
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => (body += d));
      res.on("end", () => {
        req.destroy();
        resolve({ status: res.statusCode ?? 0, body, sentWhenAnswered });
      });
    });
    req.on("error", (err) => (req.writableEnded ? undefined : reject(err)));
    void (async () => {
      while (sent < total && !req.destroyed) {
        sent += chunk.length;
        if (!req.write(chunk))
          await new Promise<void>((r) => {
            const done = () => {
              req.off("drain", done);
              req.off("close", done);
              r();
            };
            req.on("drain", done);
            req.on("close", done);
          });
      }
      if (!req.destroyed) req.end();
    })();
  });
}

test("a 20 MB chunked login body gets 413 without the server holding it", async ({ baseURL }) => {
  const url = new URL("/api/auth/login", baseURL!);
  const pid = listenerPid(Number(url.port));
  // Warm up with the same request (the first call loads the route's code and grows the heap once), so the memory below is about the body only.
  expect((await chunkedPost(url, 20 * 1024 * 1024)).status).toBe(413);
  // Memory: a 48 MB body (still drained, under the 64 MiB cap) would grow the server by at least 48 MB if it were held;
  // allocator and GC noise of a streamed drain stays well under half of that (10 MB seen).
  const before = rssBytes(pid);
  const answer = await chunkedPost(url, 48 * 1024 * 1024);
  const grown = rssBytes(pid) - before;
  expect(answer.status, answer.body).toBe(413);
  expect(JSON.parse(answer.body)).toEqual({ error: { code: "PAYLOAD_TOO_LARGE", message: "Request body is larger than 1048576 bytes." } });
  expect(grown, `server RSS grew by ${(grown / 1048576).toFixed(1)} MB`).toBeLessThan(24 * 1024 * 1024);

  // A declared Content-Length over the limit is refused before any byte of the body.
  const declared = await new Promise<number>((resolve, reject) => {
    const req = http.request(url, {
      method: "POST",
      headers: { origin: url.origin, "content-type": "application/json", "content-length": String(20 * 1024 * 1024) },
    });
    req.on("response", (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
      req.destroy();
    });
    req.on("error", reject);
    req.flushHeaders();
  });
  expect(declared).toBe(413);
});
