/** Runs once when the Next.js server starts (Node runtime only). */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startServer } = await import("./server/startServer");
  await startServer();
}
