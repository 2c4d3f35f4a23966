import { redirect } from "next/navigation";
import { hasUsers } from "@/server/auth/firstAdmin";
import { SetupForm } from "@/components/auth/SetupForm";

export const dynamic = "force-dynamic";

export default function SetupPage() {
  if (hasUsers()) redirect("/login");
  return <SetupForm />;
}
