"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useState } from "react";
import { apiFetch } from "./apiFetch";
import { LiveIndicator } from "./live/LiveIndicator";

const LINKS = [
  { href: "/", label: "Fleet" },
  { href: "/services", label: "Services" },
  { href: "/drift", label: "Drift" },
  { href: "/quarantine", label: "Quarantine" },
  { href: "/log", label: "Release log" },
  { href: "/settings/hosts", label: "Hosts" },
  { href: "/settings/tokens", label: "API tokens" },
];

const ADMIN_LINKS = [
  { href: "/settings/users", label: "Users" },
  { href: "/settings/webhooks", label: "Webhooks" },
];

/** The user menu: log out here, or end every session of this user (other browsers included). */
function UserMenu({ username, role }: { username: string; role: string }) {
  const [open, setOpen] = useState(false);
  async function logout(everywhere: boolean) {
    await apiFetch("/api/auth/logout", { method: "POST", body: { everywhere } }).catch(() => undefined);
    window.location.assign("/login");
  }
  const item = "block w-full px-3 py-2 text-left hover:bg-slate-100";
  return (
    <div className="relative">
      <button
        type="button"
        onClick={() => setOpen((v) => !v)}
        aria-expanded={open}
        aria-haspopup="menu"
        className="rounded-md border border-slate-300 px-2 py-1 hover:bg-slate-100"
        data-testid="current-user"
      >
        {username} <span className="text-slate-400">({role})</span> ▾
      </button>
      {open && (
        <div role="menu" className="absolute right-0 z-40 mt-1 w-56 overflow-hidden rounded-md border border-slate-200 bg-white shadow-lg">
          <button role="menuitem" type="button" onClick={() => logout(false)} className={item}>
            Log out
          </button>
          <button
            role="menuitem"
            type="button"
            onClick={() => logout(true)}
            className={item}
            title="Ends every session of your user, in every browser. API tokens keep working."
          >
            Log out everywhere
          </button>
        </div>
      )}
    </div>
  );
}

export function NavBar({ username, role }: { username: string; role: string }) {
  const path = usePathname();
  const links = role === "admin" ? [...LINKS, ...ADMIN_LINKS] : LINKS;
  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex max-w-7xl items-center gap-6 px-6 py-3">
        <Link href="/" className="text-lg font-semibold tracking-tight">
          Switchyard
        </Link>
        <nav className="flex gap-4 text-sm">
          {links.map((l) => {
            const active = l.href === "/" ? path === "/" || path.startsWith("/hosts/") : path.startsWith(l.href);
            return (
              <Link key={l.href} href={l.href} className={active ? "font-medium text-slate-900" : "text-slate-500 hover:text-slate-900"}>
                {l.label}
              </Link>
            );
          })}
        </nav>
        <div className="ml-auto flex items-center gap-4 text-sm text-slate-600">
          <LiveIndicator />
          <UserMenu username={username} role={role} />
        </div>
      </div>
    </header>
  );
}
