import type { ReactNode } from "react";
import { requirePageUser } from "@/server/auth/pageUser";
import { NavBar } from "@/components/NavBar";
import { LiveStreamProvider } from "@/components/live/LiveStreamProvider";

export const dynamic = "force-dynamic";

export default async function DashLayout({ children }: { children: ReactNode }) {
  const user = await requirePageUser();
  return (
    <LiveStreamProvider>
      <div className="min-h-screen">
        <NavBar username={user.username} role={user.role} />
        <main className="mx-auto max-w-7xl px-6 py-6">{children}</main>
      </div>
    </LiveStreamProvider>
  );
}
