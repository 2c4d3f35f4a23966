import type { ReactNode } from "react";
import { requirePageUser } from "@/server/auth/pageUser";
import { NavBar } from "@/components/NavBar";

export const dynamic = "force-dynamic";

export default async function DashLayout({ children }: { children: ReactNode }) {
  const user = await requirePageUser();
  return (
    <div className="min-h-screen">
      <NavBar username={user.username} role={user.role} />
      <main className="mx-auto max-w-7xl px-6 py-6">{children}</main>
    </div>
  );
}
