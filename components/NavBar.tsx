"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { apiFetch } from "./apiFetch";

const LINKS = [
  { href: "/", label: "Fleet" },
  { href: "/services", label: "Services" },
  { href: "/log", label: "Release log" },
  { href: "/settings/hosts", label: "Hosts" },
  { href: "/settings/tokens", label: "API tokens" },
];

export function NavBar({ username, role }: { username: string; role: string }) {
  const path = usePathname();
  async function logout() {
    await apiFetch("/api/auth/logout", { method: "POST", body: {} }).catch(() => undefined);
    window.location.assign("/login");
  }
  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex max-w-7xl items-center gap-6 px-6 py-3">
        <Link href="/" className="text-lg font-semibold tracking-tight">Switchyard</Link>
        <nav className="flex gap-4 text-sm">
          {LINKS.map((l) => {
            const active = l.href === "/" ? path === "/" || path.startsWith("/hosts/") : path.startsWith(l.href);
            return (
              <Link key={l.href} href={l.href} className={active ? "font-medium text-slate-900" : "text-slate-500 hover:text-slate-900"}>
                {l.label}
              </Link>
            );
          })}
        </nav>
        <div className="ml-auto flex items-center gap-3 text-sm text-slate-600">
          <span data-testid="current-user">{username} <span className="text-slate-400">({role})</span></span>
          <button onClick={logout} className="rounded-md border border-slate-300 px-2 py-1 hover:bg-slate-100">Log out</button>
        </div>
      </div>
    </header>
  );
}
