import type { Metadata } from "next";
import type { ReactNode } from "react";
import "./globals.css";
import { Providers } from "@/components/Providers";

/** Every page renders per request: the CSP nonce (proxy.ts) is new each time, the not-found page included. */
export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Switchyard", description: "Immutable releases for containerized services" };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen">
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
