import { redirect } from "next/navigation";
import { hasUsers } from "@/server/auth/firstAdmin";
import { LoginForm } from "@/components/auth/LoginForm";

export const dynamic = "force-dynamic";

export default function LoginPage() {
  if (!hasUsers()) redirect("/setup");
  return <LoginForm />;
}
