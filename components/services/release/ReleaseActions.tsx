"use client";
import { useState } from "react";
import { ConfirmButton } from "@/components/ui/ConfirmButton";
import type { Json } from "@/server/http/json";
import type { ServiceOverview } from "@/server/services/serviceOverview";
import { SpecChanges } from "./SpecChanges";

type Act = (path: string, body?: unknown) => void;

/** Deploy version, Redeploy, Deploy spec change, Switch traffic, Rollback, Retire — each says what it will do before doing it. */
export function ReleaseActions({ o, canOperate, busy, act }: { o: Json<ServiceOverview>; canOperate: boolean; busy: boolean; act: Act }) {
  const [version, setVersion] = useState("");
  const repo = o.service.spec.image;
  const running = o.operation?.status === "running";
  const blocked = !canOperate
    ? "Needs the operator role."
    : running
      ? `${o.operation?.kind} #${o.operation?.id} is in progress.`
      : undefined;
  const off = Boolean(blocked) || busy;
  const live = o.live?.release;
  const cand = o.candidate?.release;
  const standby = o.standby?.release;
  return (
    <div className="flex flex-wrap items-end gap-2 rounded-lg border border-slate-200 bg-white p-3 shadow-sm">
      <label className="text-sm">
        <span className="block text-xs text-slate-500">Version (tag or digest of {repo})</span>
        <input
          value={version}
          onChange={(e) => setVersion(e.target.value)}
          placeholder="1.1.0"
          aria-label="Version to deploy"
          className="mt-1 w-44 rounded-md border border-slate-300 px-2 py-1.5 font-mono text-sm"
        />
      </label>
      <ConfirmButton
        label="Deploy version"
        tone="primary"
        disabled={off || !version.trim()}
        disabledReason={blocked ?? "Type a version first."}
        title={`Deploy ${repo}:${version.trim()}?`}
        description={
          <>
            The tag is resolved to a digest now; new containers start from that digest on{" "}
            {o.service.spec.placement.map((p) => `${p.host}×${p.replicas}`).join(", ")}, are health-gated and put in preview.{" "}
            {live
              ? "Live traffic stays on release " + live.number + " until you switch."
              : "As the first release, it goes live when healthy."}
            {cand ? ` The current candidate (release ${cand.number}) is discarded.` : ""}
          </>
        }
        confirmLabel="Deploy"
        onConfirm={() => act("deploy", { image: version.trim() })}
      />
      <ConfirmButton
        label="Redeploy"
        disabled={off || !live}
        disabledReason={blocked ?? "Nothing is live to redeploy."}
        title={`Redeploy release ${live?.number}?`}
        description="A new release with the same digest and spec: fresh containers, nothing carried over from the running ones. They go into preview; switch traffic when ready."
        onConfirm={() => act("redeploy", {})}
      />
      <ConfirmButton
        label="Deploy spec change"
        disabled={off || !live || !o.specChangedSinceLive}
        disabledReason={
          blocked ??
          (!live
            ? "Nothing is live: deploy a version first."
            : `Nothing to deploy: the spec is the same as release ${live.number}. Edit the spec first.`)
        }
        title={`Deploy the spec change on release ${live?.number}'s image?`}
        description={
          <>
            <p>
              A new release with the live image digest ({live?.imageDigest?.split("@")[1]?.slice(0, 19)}…) and the current spec. It goes
              into preview; switch traffic when ready. What changes:
            </p>
            <div className="mt-2 max-h-60 overflow-auto rounded-md bg-slate-50 p-2">
              <SpecChanges changes={o.specChangesSinceLive?.changes ?? []} />
            </div>
          </>
        }
        confirmLabel="Deploy spec change"
        onConfirm={() => act("deploy", { specChange: true })}
      />
      <ConfirmButton
        label="Switch traffic"
        tone="primary"
        disabled={off || !cand}
        disabledReason={blocked ?? "No healthy candidate to switch to."}
        title={`Switch traffic to release ${cand?.number}?`}
        description={
          <>
            HAProxy sends new requests to release {cand?.number} ({cand?.imageRef})
            {live ? <> and drains release {live.number}, which stays on standby for a one-click rollback</> : null}.
            {standby ? ` The current standby (release ${standby.number}) is retired.` : ""}
          </>
        }
        confirmLabel="Switch"
        onConfirm={() => act("switch", {})}
      />
      <ConfirmButton
        label="Rollback"
        disabled={off || !standby}
        disabledReason={blocked ?? "No standby release to roll back to."}
        title={`Roll back to release ${standby?.number}?`}
        description={
          <>
            Release {standby?.number} ({standby?.imageRef}) takes the traffic again
            {live ? <>; release {live.number} is drained and kept on standby</> : null}. No request fails.
          </>
        }
        confirmLabel="Roll back"
        onConfirm={() => act("rollback", {})}
      />
      <ConfirmButton
        label="Retire"
        tone="danger"
        disabled={off || !standby}
        disabledReason={blocked ?? "No standby release to retire."}
        title={`Retire release ${standby?.number}?`}
        description={
          <>
            Its drained containers are removed from HAProxy, stopped and deleted. You can no longer roll back to it in one click (you can
            still replay it from the release list).
          </>
        }
        onConfirm={() => act("retire", {})}
      />
      {o.specChangesSinceLive && o.specChangedSinceLive && (
        <p className="basis-full text-xs text-amber-800" data-testid="spec-changed">
          The spec changed since live release {o.specChangesSinceLive.liveRelease}:{" "}
          {o.specChangesSinceLive.changes.map((c) => c.path).join(", ")}. Deploy spec change releases it on the same image.
        </p>
      )}
      {!canOperate && (
        <p className="basis-full text-xs text-slate-500" data-testid="role-notice">
          You are a viewer: deploying, switching, rolling back and retiring need the operator role.
        </p>
      )}
    </div>
  );
}
