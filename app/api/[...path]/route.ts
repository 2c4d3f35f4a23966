import { route } from "@/server/http/route";
import { AppError } from "@/server/errors";

/** Unknown API paths: 401 without credentials, else 404 in the usual envelope. */
const unknown = route({ role: "viewer" }, ({ req }) => {
  throw new AppError("NOT_FOUND", `No API route ${req.method} ${req.nextUrl.pathname}`);
});

export { unknown as GET, unknown as POST, unknown as PUT, unknown as PATCH, unknown as DELETE };
