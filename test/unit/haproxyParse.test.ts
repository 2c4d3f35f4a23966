/**
 * Pure parsers of the HAProxy runtime API, fed with output captured from a real
 * HAProxy 2.6.12 (backend "be": roundrobin, option httpchk GET /health,
 * servers added at run time with `add server ... check`).
 */
import { describe, expect, it } from "vitest";
import { parseStatCsv, parseStatCsvByBackend, requestRate } from "@/server/haproxy/backendStats";
import { haproxyErrorReply } from "@/server/haproxy/errorReply";
import { adminStateOf, parseServersState } from "@/server/haproxy/serverState";
import { notUpReason } from "@/server/haproxy/waitForServersUp";

const HEADER_V1 =
  "# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight srv_iweight srv_time_since_last_change srv_check_status srv_check_result srv_check_health srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord srv_use_ssl srv_check_port srv_check_addr srv_agent_addr srv_agent_port";

/** `show servers state be`: blue ready 100, green ready 50, dead (port closed), parked (added without check, never enabled), standby (drain, /health 404). */
const SERVERS_STATE = `1
# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight srv_iweight srv_time_since_last_change srv_check_status srv_check_result srv_check_health srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord srv_use_ssl srv_check_port srv_check_addr srv_agent_addr srv_agent_port
3 be 1 blue 127.0.0.1 2 0 100 0 5 15 3 4 6 0 0 0 - 18401 - 0 0 - - 0
3 be 2 green 127.0.0.1 2 0 50 0 136 15 3 2 6 0 0 0 - 18402 - 0 0 - - 0
3 be 3 dead 127.0.0.1 0 0 10 10 12 8 2 0 6 0 0 0 - 18409 - 0 0 - - 0
3 be 4 parked 127.0.0.1 0 1 5 5 12 1 0 0 0 0 0 0 - 18403 - 0 0 - - 0
3 be 5 standby 127.0.0.1 0 8 100 100 12 17 2 0 6 0 0 0 - 18403 - 0 0 - - 0
`;

/** After `set server be/green state drain`, plus err (/ answers 500) and quoted (/health 503). */
const SERVERS_STATE_2 = `1
# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight srv_iweight srv_time_since_last_change srv_check_status srv_check_result srv_check_health srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord srv_use_ssl srv_check_port srv_check_addr srv_agent_addr srv_agent_port
3 be 1 blue 127.0.0.1 2 0 100 0 120 15 3 4 6 0 0 0 - 18401 - 0 0 - - 0
3 be 2 green 127.0.0.1 2 8 100 0 2 15 3 2 6 0 0 0 - 18402 - 0 0 - - 0
3 be 3 err 127.0.0.1 2 0 100 100 3 15 3 2 6 0 0 0 - 35447 - 0 0 - - 0
3 be 4 quoted 127.0.0.1 0 0 100 100 2 17 2 0 6 0 0 0 - 60127 - 0 0 - - 0
`;

/** Right after `add server be/blue 127.0.0.1:18401 check weight 0`: forced maintenance, check configured but not enabled. */
const JUST_ADDED = `1
${HEADER_V1}
3 be 1 blue 127.0.0.1 0 1 0 0 0 1 0 0 2 0 0 0 - 18401 - 0 0 - - 0
`;

/** Right after `enable health` + `set server be/dead state ready` on a closed port: reported UP (health = rise) before any check ran. */
const READY_BEFORE_FIRST_CHECK = `1
${HEADER_V1}
3 be 2 dead 127.0.0.1 2 0 0 0 0 1 0 2 6 0 0 0 - 18409 - 0 0 - - 0
`;

/** `show servers state be` with an empty backend. */
const EMPTY_BACKEND = `1
${HEADER_V1}
`;

/** `show stat be -1 -1` matching SERVERS_STATE_2 (after 20 requests: 10 to blue, 10 to err which answers 500). */
const SHOW_STAT = `# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,wretr,wredis,status,weight,act,bck,chkfail,chkdown,lastchg,downtime,qlimit,pid,iid,sid,throttle,lbtot,tracked,type,rate,rate_lim,rate_max,check_status,check_code,check_duration,hrsp_1xx,hrsp_2xx,hrsp_3xx,hrsp_4xx,hrsp_5xx,hrsp_other,hanafail,req_rate,req_rate_max,req_tot,cli_abrt,srv_abrt,comp_in,comp_out,comp_byp,comp_rsp,lastsess,last_chk,last_agt,qtime,ctime,rtime,ttime,agent_status,agent_code,agent_duration,check_desc,agent_desc,check_rise,check_fall,check_health,agent_rise,agent_fall,agent_health,addr,cookie,mode,algo,conn_rate,conn_rate_max,conn_tot,intercepted,dcon,dses,wrew,connect,reuse,cache_lookups,cache_hits,srv_icur,src_ilim,qtime_max,ctime_max,rtime_max,ttime_max,eint,idle_conn_cur,safe_conn_cur,used_conn_cur,need_conn_est,uweight,agg_server_status,agg_server_check_status,agg_check_status,-,ssl_sess,ssl_reused_sess,ssl_failed_handshake,h2_headers_rcvd,h2_data_rcvd,h2_settings_rcvd,h2_rst_stream_rcvd,h2_goaway_rcvd,h2_detected_conn_protocol_errors,h2_detected_strm_protocol_errors,h2_rst_stream_resp,h2_goaway_resp,h2_open_connections,h2_backend_open_streams,h2_total_connections,h2_backend_total_streams,h1_open_connections,h1_open_streams,h1_total_connections,h1_total_streams,h1_bytes_in,h1_bytes_out,h1_spliced_bytes_in,h1_spliced_bytes_out,
be,blue,0,0,0,1,,30,2460,5520,,0,,0,0,0,0,UP,100,1,0,0,0,120,0,,1,3,1,,30,,2,10,,20,L7OK,200,3,0,30,0,0,0,0,,,,30,0,0,,,,,1,,,0,0,0,0,,,,Layer7 check passed,,2,3,4,,,,127.0.0.1:18401,,http,,,,,,,,0,30,0,,,0,0,0,0,0,0,0,0,0,0,1,100,,,,-,0,0,0,,,,,,,,,,,,,,,,,,,,,,
be,green,0,0,0,1,,10,820,1850,,0,,0,0,0,0,DRAIN,100,1,0,0,0,2,0,,1,3,2,,10,,2,0,,10,L7OK,200,0,0,10,0,0,0,0,,,,10,0,0,,,,,125,,,0,0,0,0,,,,Layer7 check passed,,1,2,2,,,,127.0.0.1:18402,,http,,,,,,,,0,10,0,,,0,0,0,0,0,0,0,0,0,0,1,100,,,,-,0,0,0,,,,,,,,,,,,,,,,,,,,,,
be,err,0,0,0,1,,10,820,1180,,0,,0,0,0,0,UP,100,1,0,0,0,3,0,,1,3,3,,10,,2,10,,10,L7OK,200,0,0,0,0,0,10,0,,,,10,0,0,,,,,1,,,0,0,1,1,,,,Layer7 check passed,,1,2,2,,,,127.0.0.1:35447,,http,,,,,,,,0,10,0,,,0,0,0,0,4,4,0,0,0,0,1,100,,,,-,0,0,0,,,,,,,,,,,,,,,,,,,,,,
be,quoted,0,0,0,0,,0,0,0,,0,,0,0,0,0,DOWN,100,1,0,1,1,2,2,,1,3,4,,0,,2,0,,0,L7STS,503,1,0,0,0,0,0,0,,,,0,0,0,,,,,-1,"Down, ""for"" maintenance",,0,0,0,0,,,,Layer7 wrong status,,1,2,0,,,,127.0.0.1:60127,,http,,,,,,,,0,0,0,,,0,0,0,0,0,0,0,0,0,0,1,100,,,,-,0,0,0,,,,,,,,,,,,,,,,,,,,,,
be,BACKEND,0,0,0,1,999,90,7380,518840,0,0,,0,0,0,0,UP,200,2,0,,3,3,0,,1,3,0,,90,,1,20,,30,,,,0,80,0,0,10,0,,,,90,0,0,0,0,0,0,1,,,0,0,1,1,,,,,,,,,,,,,,http,roundrobin,,,,,,,0,90,0,0,0,,,0,0,4,4,0,,,,,200,0,0,0,-,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,2011,2011,910771,42486,0,0,
`;

/** A server added without `check` and left in maintenance: `weight` says 1, `uweight` the configured 5. */
const PARKED_ROW =
  "be,parked,0,0,0,0,,0,0,0,,0,,0,0,0,0,MAINT,1,1,0,,,12,,,1,3,4,,0,,2,0,,0,,,,0,0,0,0,0,0,,,,0,0,0,,,,,-1,,,0,0,0,0,,,,,,,,,,,,127.0.0.1:18403,,http,,,,,,,,0,0,0,,,0,0,0,0,0,0,0,0,0,0,0,5,,,,-,0,0,0,,,,,,,,,,,,,,,,,,,,,,";

describe("parseServersState", () => {
  it("reads every server by header names", () => {
    const servers = parseServersState(SERVERS_STATE, "be");
    expect(servers.map((s) => [s.name, s.adminState, s.operational, s.weight, s.checkStatus])).toEqual([
      ["blue", "ready", "up", 100, "L7OK"],
      ["green", "ready", "up", 50, "L7OK"],
      ["dead", "ready", "down", 10, "L4CON"],
      ["parked", "maint", "down", 5, undefined],
      ["standby", "drain", "down", 100, "L7STS"],
    ]);
    expect(servers[0]).toEqual({
      name: "blue",
      address: "127.0.0.1",
      port: 18401,
      weight: 100,
      adminState: "ready",
      operational: "up",
      checkStatus: "L7OK",
      checkResult: "passed",
      checksConfigured: true,
      checksEnabled: true,
      secondsSinceChange: 5,
    });
    expect(servers[2]).toMatchObject({ checkResult: "failed", checksEnabled: true });
    expect(servers[3]).toMatchObject({ checksConfigured: false, checksEnabled: false, checkResult: "unknown" });
  });

  it("tells drain from ready after `set server ... state drain`", () => {
    const byName = new Map(parseServersState(SERVERS_STATE_2).map((s) => [s.name, s]));
    expect(byName.get("green")).toMatchObject({ adminState: "drain", operational: "up", weight: 100 });
    expect(byName.get("quoted")).toMatchObject({ adminState: "ready", operational: "down", checkStatus: "L7STS" });
  });

  it("a just-added server is in maintenance with its check configured but not enabled", () => {
    expect(parseServersState(JUST_ADDED, "be")).toEqual([
      {
        name: "blue",
        address: "127.0.0.1",
        port: 18401,
        weight: 0,
        adminState: "maint",
        operational: "down",
        checkStatus: "INI",
        checkResult: "unknown",
        checksConfigured: true,
        checksEnabled: false,
        secondsSinceChange: 0,
      },
    ]);
  });

  it("parses by column name, not position", () => {
    const reordered = [
      "1",
      "# srv_name be_name srv_port srv_addr srv_admin_state srv_op_state srv_uweight srv_check_status srv_check_result srv_check_state srv_time_since_last_change",
      "blue be 8080 ::1 8 2 7 15 3 6 42",
    ].join("\n");
    expect(parseServersState(reordered)).toEqual([
      expect.objectContaining({
        name: "blue",
        address: "::1",
        port: 8080,
        adminState: "drain",
        operational: "up",
        weight: 7,
        secondsSinceChange: 42,
      }),
    ]);
  });

  it("filters by backend, handles an empty backend, an FQDN server and unknown versions", () => {
    expect(parseServersState(SERVERS_STATE, "other")).toEqual([]);
    expect(parseServersState(EMPTY_BACKEND, "be")).toEqual([]);
    const fqdn = `1\n${HEADER_V1}\n3 be 4 fq - 0 1 1 1 0 1 0 0 0 0 0 0 example.com 80 - 0 0 - - 0`;
    expect(parseServersState(fqdn)[0]).toMatchObject({ name: "fq", address: "", port: 80, adminState: "maint" });
    expect(() => parseServersState(`2\n${HEADER_V1}\n`)).toThrow(/unsupported format version "2"/);
    expect(() => parseServersState("1\n")).toThrow(/no header/);
  });

  it("maps the admin-state bit field (maint wins over drain)", () => {
    expect([0x00, 0x01, 0x02, 0x04, 0x05, 0x08, 0x10, 0x20, 0x09, 0x40].map(adminStateOf)).toEqual([
      "ready",
      "maint",
      "maint",
      "maint",
      "maint",
      "drain",
      "drain",
      "maint",
      "maint",
      "ready",
    ]);
  });
});

describe("notUpReason", () => {
  it("does not trust UP before the first check passed", () => {
    const [dead] = parseServersState(READY_BEFORE_FIRST_CHECK);
    expect(dead).toMatchObject({ operational: "up", checkStatus: "INI", checkResult: "unknown" });
    expect(notUpReason(dead)).toBe("no passed check yet (INI)");
  });

  it("explains down, maintenance and missing servers; null when up with a passed check", () => {
    const byName = new Map(parseServersState(SERVERS_STATE).map((s) => [s.name, s]));
    expect(notUpReason(byName.get("blue"))).toBeNull();
    expect(notUpReason(byName.get("dead"))).toBe("down, check L4CON");
    expect(notUpReason(byName.get("parked"))).toBe("in maintenance");
    expect(notUpReason(byName.get("standby"))).toBe("down, check L7STS");
    expect(notUpReason(undefined)).toBe("not in the backend");
    expect(notUpReason(parseServersState(JUST_ADDED)[0])).toBe("in maintenance");
  });
});

describe("parseStatCsv", () => {
  it("reads the servers, then the BACKEND row", () => {
    const rows = parseStatCsv(SHOW_STAT, "be");
    expect(rows.map((r) => r.server)).toEqual(["blue", "green", "err", "quoted", "BACKEND"]);
    expect(rows[0]).toEqual({
      server: "blue",
      status: "UP",
      weight: 100,
      reqTotal: 30,
      hrsp2xx: 30,
      hrsp5xx: 0,
      rate: 10,
      rtimeMs: 0,
      checkStatus: "L7OK",
      lastChangeS: 120,
      currentSessions: 0,
    });
    expect(rows[1]).toMatchObject({ server: "green", status: "DRAIN", weight: 100, reqTotal: 10 });
    expect(rows[2]).toMatchObject({ server: "err", reqTotal: 10, hrsp2xx: 0, hrsp5xx: 10, rate: 10, rtimeMs: 1 });
    expect(rows[3]).toMatchObject({ server: "quoted", status: "DOWN", checkStatus: "L7STS", reqTotal: 0, lastChangeS: 2 });
    expect(rows[4]).toMatchObject({
      server: "BACKEND",
      status: "UP",
      weight: 200,
      reqTotal: 90,
      hrsp2xx: 80,
      hrsp5xx: 10,
      rate: 20,
      checkStatus: "",
    });
  });

  it("reads a check status the same while a check is in progress (HAProxy's '* ' prefix)", () => {
    const inProgress = SHOW_STAT.replace(
      ",DRAIN,100,1,0,0,0,2,0,,1,3,2,,10,,2,0,,10,L7OK,",
      ",DRAIN,100,1,0,0,0,2,0,,1,3,2,,10,,2,0,,10,* L7OK,",
    );
    expect(inProgress).not.toBe(SHOW_STAT);
    expect(parseStatCsv(inProgress, "be")[1]).toMatchObject({ server: "green", checkStatus: "L7OK" });
  });

  it("groups every backend's rows, servers before BACKEND, without FRONTEND rows", () => {
    const all = parseStatCsvByBackend(SHOW_STAT);
    expect(all.get("be")?.map((r) => r.server)).toEqual(parseStatCsv(SHOW_STAT, "be").map((r) => r.server));
    for (const rows of all.values()) expect(rows.some((r) => r.server === "FRONTEND")).toBe(false);
    expect(parseStatCsv(SHOW_STAT, "no-such-backend")).toEqual([]);
  });

  it("keeps columns aligned across a quoted field with commas and doubled quotes", () => {
    // quoted's last_chk is `"Down, ""for"" maintenance"`: a naive split would shift every later column.
    const quoted = parseStatCsv(SHOW_STAT, "be").find((r) => r.server === "quoted");
    expect(quoted).toMatchObject({ weight: 100, checkStatus: "L7STS" });
  });

  it("uses the configured weight (uweight) for servers", () => {
    const header = SHOW_STAT.split("\n")[0]!;
    expect(parseStatCsv(`${header}\n${PARKED_ROW}\n`, "be")).toEqual([
      expect.objectContaining({ server: "parked", status: "MAINT", weight: 5, checkStatus: "", lastChangeS: 12 }),
    ]);
  });

  it("ignores other proxies and frontends; requires the header", () => {
    const header = SHOW_STAT.split("\n")[0]!;
    const other =
      "fe,FRONTEND,,,0,0,9986,0,0,0,0,0,0,,,,,OPEN,,,,,,,,,1,2,0,,,,0,0,0,0,,,,0,0,0,0,0,0,,0,0,0,,,0,0,0,0,,,,,,,,,,,,,,,,,,,,,http,,0,0,0,0,0,0,0,,,0,0,,,,,,,0,,,,,,,,,-,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,";
    expect(parseStatCsv(`${header}\n${other}\n`, "fe")).toEqual([]);
    expect(parseStatCsv(SHOW_STAT, "nope")).toEqual([]);
    expect(() => parseStatCsv("be,blue,0\n", "be")).toThrow(/header/);
  });
});

describe("requestRate", () => {
  it("turns two req_tot samples into requests per second", () => {
    expect(requestRate({ reqTotal: 100, atMs: 1_000 }, { reqTotal: 130, atMs: 3_000 })).toBe(15);
    expect(requestRate({ reqTotal: 100, atMs: 1_000 }, { reqTotal: 100, atMs: 1_500 })).toBe(0);
  });

  it("is null when it cannot be told (no time passed, counter reset)", () => {
    expect(requestRate({ reqTotal: 100, atMs: 1_000 }, { reqTotal: 110, atMs: 1_000 })).toBeNull();
    expect(requestRate({ reqTotal: 100, atMs: 2_000 }, { reqTotal: 110, atMs: 1_000 })).toBeNull();
    expect(requestRate({ reqTotal: 500, atMs: 1_000 }, { reqTotal: 3, atMs: 2_000 })).toBeNull();
  });
});

describe("haproxyErrorReply", () => {
  // Replies captured from HAProxy 2.6.12.
  it.each([
    ["No such server.\n\n", "No such server."],
    ["No such backend.\n\n", "No such backend."],
    ["Require 'backend/server'.\n\n", "Require 'backend/server'."],
    ["Can't find backend.\n\n", "Can't find backend."],
    ["Only servers in maintenance mode can be deleted.\n", "Only servers in maintenance mode can be deleted."],
    ["Server still has connections attached to it, cannot remove it.\n", "Server still has connections attached to it, cannot remove it."],
    ["Already exists a server with the same name in backend.\n\n", "Already exists a server with the same name in backend."],
    ["Absolute weight can only be between 0 and 256 inclusive.\n\n", "Absolute weight can only be between 0 and 256 inclusive."],
    [
      "'set server <srv> state' expects 'ready', 'drain' and 'maint'.\n\n",
      "'set server <srv> state' expects 'ready', 'drain' and 'maint'.",
    ],
    ["invalid port '99999'\n\n", "invalid port '99999'"],
    ["unknown keyword 'default-server'.\n\n", "unknown keyword 'default-server'."],
    [
      "Backend must use a dynamic load balancing to support dynamic servers.\n",
      "Backend must use a dynamic load balancing to support dynamic servers.",
    ],
    ["Permission denied\n\n", "Permission denied"],
    [
      "Unknown command, but maybe one of the following ones is a better match:\n  help [<command>]                        : list matching or all commands\n  quit                                    : disconnect\n\n",
      "Unknown command",
    ],
  ])("%j is an error", (reply, text) => {
    expect(haproxyErrorReply(reply)).toBe(text);
  });

  it.each([
    ["\n"],
    ["New server registered.\n\n"],
    ["Server deleted.\n"],
    ["no need to change the addr, no need to change the port by 'stats socket command'\n\n"],
    [SERVERS_STATE],
    [SHOW_STAT],
  ])("%j is a normal answer", (reply) => {
    expect(haproxyErrorReply(reply)).toBeNull();
  });
});
