// The dashboard: one table of components kept live by the daemon's event stream (/api/events), a log
// pane per component, and the two actions. No build step, no dependencies: it must work offline.
// The page was opened with ?token=…, which set an HttpOnly cookie, so every request below carries it.
"use strict";

const components = new Map();   // name -> the last /api/components entry, with local state changes
const logs = new Map();         // name -> <pre> of its log pane
const why = new Map();          // name -> why the next build runs, shown at the top of its log (a sync that fell back)
let refreshTimer = null;

const $ = (selector) => document.querySelector(selector);

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "class") node.className = value; else if (key === "text") node.textContent = value; else node.setAttribute(key, value);
  }
  for (const child of children) node.append(child);
  return node;
}

async function api(path, options = {}) {
  const response = await fetch(path, { credentials: "same-origin", ...options });
  if (response.status === 401) {
    notice("The daemon did not accept this page's token (it changes at every start): open the address that `auto-rebuild -s status` prints.", true);
    throw new Error("unauthorized");
  }
  return response;
}

let noticeTimer = null;

function notice(text, bad = false) {
  const box = $("#notice");
  box.textContent = text;
  box.className = bad ? "notice bad" : "notice";
  box.hidden = !text;
  clearTimeout(noticeTimer);
  if (!bad) noticeTimer = setTimeout(() => { box.hidden = true; }, 10000); // good news fades; failures stay until the next notice
}

function ago(iso) {
  const seconds = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  if (seconds < 60) return seconds + " s ago";
  if (seconds < 3600) return Math.round(seconds / 60) + " min ago";
  return new Date(iso).toLocaleString();
}

function duration(ms) {
  return ms < 1000 ? ms + " ms" : (ms / 1000).toFixed(1) + " s";
}

async function refresh() {
  const [daemon, list] = await Promise.all([api("/api/daemon").then((r) => r.json()), api("/api/components").then((r) => r.json())]);
  $("#workspace").textContent = daemon.workspace;
  $("#engine-address").textContent = "engine: " + daemon.engine.address;
  if (daemon.warnings.length) notice(daemon.warnings.join("\n"), true);
  const engine = $("#engine");   // builds wait while the container engine does not answer: say so above everything
  engine.hidden = daemon.engine.answering;
  engine.textContent = daemon.engine.answering ? "" : "The container engine does not answer (since "
    + new Date(daemon.engine.since).toLocaleTimeString() + "): " + daemon.engine.reason + ". Builds wait and run once it answers.";
  components.clear();
  for (const c of list) components.set(c.name, c);
  render();
}

function refreshSoon() {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(() => refresh().catch(() => {}), 150);
}

function render() {
  const body = $("#components tbody");
  body.replaceChildren();
  let pending = 0;
  for (const c of components.values()) {
    if (c.pendingRedeploy) pending++;
    body.append(row(c));
    logPane(c.name);
  }
  for (const [name, pane] of logs) {
    if (!components.has(name)) { pane.closest("details").remove(); logs.delete(name); }
  }
  $("#empty").hidden = components.size > 0;
  const button = $("#redeploy");
  button.disabled = pending === 0;
  button.textContent = pending === 0 ? "Nothing to redeploy" : "Redeploy pending (" + pending + ")";
}

function row(c) {
  const build = c.lastBuild;
  const buildCell = el("td", { class: "nowrap" });
  if (build) {
    buildCell.append(el("span", { class: build.result === "failed" ? "state failed" : "", text: build.result + ", " + duration(build.durationMs) }),
      el("span", { class: "muted", text: " · " + ago(build.started) + (build.builder ? " · " + (build.builder === "buildkit" ? "BuildKit" : "classic") : ""),
        "data-builder": build.builder || "" }));
  } else {
    buildCell.append(el("span", { class: "muted", text: c.digest ? "none needed: image up to date" : "none yet" }));
  }
  const rebuild = el("button", { type: "button", "data-rebuild": c.name, text: "Rebuild" });
  rebuild.addEventListener("click", () => rebuildComponent(c.name, rebuild));
  const main = el("tr", { class: c.state, "data-component": c.name },
    el("td", { class: "mono", text: c.name }),
    el("td", {}, el("span", { class: "state " + c.state, "data-state": c.state, text: c.state })),
    el("td", { class: "mono", text: c.image }),
    el("td", { class: "mono", title: c.digest || "", text: c.digest ? c.digest.slice(0, 19) : "—" }),
    buildCell,
    containerCell(c),
    el("td", c.pendingRedeploy ? { class: "pending", text: "pending" } : { class: "muted", text: "—" }),
    el("td", {}, rebuild));
  const rows = document.createDocumentFragment();
  rows.append(main);
  if (build && build.result === "failed") {   // the failing step and its message, across the whole table
    rows.append(el("tr", { class: "failed failure-row", "data-failure-for": c.name },
      el("td", { colspan: "8" }, el("div", { class: "failure", text: build.detail }))));
  }
  return rows;
}

function containerCell(c) {
  const container = c.container || {};
  const cell = el("td", { class: "mono wrap", text: container.name + " · " + container.state + (container.id ? " " + container.id.slice(0, 12) : "") });
  const service = c.service;
  if (service) {   // a Swarm service: its tasks and how its last update ended
    cell.append(el("div", { class: service.updateState && service.updateState.startsWith("rollback") ? "state failed" : "muted", "data-service": service.name,
      text: "service: " + service.running + "/" + service.desired + " running" + (service.updateState ? " · update " + service.updateState.replace("_", " ") : "") }));
  }
  const sync = c.lastSync;
  if (sync) {   // live syncs change the running container without a build: say when it last received one
    cell.append(el("div", { class: sync.result === "failed" ? "state failed" : "muted", "data-sync": sync.result,
      text: (sync.result === "failed" ? "sync failed, rebuilt instead: " : "synced: ") + sync.detail + " · " + ago(sync.at) }));
  }
  return cell;
}

function logPane(name) {
  if (logs.has(name)) return;
  const pre = el("pre", { class: "log", "data-log": name });
  const details = el("details", {}, el("summary", { text: name + " — build log" }), pre);
  $("#logs").append(details);
  logs.set(name, pre);
  api("/api/builds?component=" + encodeURIComponent(name)).then((r) => r.json()).then((builds) => {
    if (builds.length > 0 && pre.childElementCount === 0) builds[0].logTail.forEach((line) => appendLog(name, line));
  }).catch(() => {});
}

function appendLog(name, line) {
  const pre = logs.get(name);
  if (!pre) return;
  const atBottom = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 4;
  const cls = /^Step \d+\/\d+/.test(line) ? "step" : /error|failed|returned a non-zero code/i.test(line) ? "error" : "";
  pre.append(el("div", { class: cls, text: line }));
  while (pre.childElementCount > 500) pre.firstChild.remove();
  if (atBottom) pre.scrollTop = pre.scrollHeight;
}

function setState(name, state) {
  const c = components.get(name);
  if (c) { c.state = state; render(); }
}

function onEvent(event) {
  const name = event.data.component;
  switch (event.type) {
    case "BuildOutput": appendLog(name, event.data.line); return;
    case "BuildQueued": setState(name, "queued"); return;
    case "BuildWaiting": setState(name, "waiting"); return;
    case "BuildStarted":
      if (logs.has(name)) logs.get(name).replaceChildren();
      if (why.has(name)) { appendLog(name, why.get(name)); why.delete(name); }
      setState(name, "building");
      return;
    case "BuildFailed":
      appendLog(name, "build FAILED" + (event.data.step ? " at \"" + event.data.step + "\"" : "") + ": " + event.data.message);
      refreshSoon();
      return;
    case "BuildCancelled":
      appendLog(name, "build cancelled: " + event.data.reason);
      setState(name, "queued");
      return;
    case "Synced":
      appendLog(name, "synced (" + event.data.action + "): " + event.data.copied + " copied, " + event.data.deleted + " deleted in "
        + duration(event.data.tookMs) + (event.data.execOutput ? "; " + event.data.execOutput : ""));
      refreshSoon();
      return;
    case "SyncFailed":
      appendLog(name, "sync failed, rebuilding instead: " + event.data.why);
      why.set(name, "sync failed, rebuilding instead: " + event.data.why);
      refreshSoon();
      return;
    case "RedeployFailed":
      notice(name + ": redeploy failed: " + event.data.reason, true);
      refreshSoon();
      return;
    default: refreshSoon();
  }
}

function connect() {
  const state = $("#connection");
  const source = new EventSource("/api/events");
  source.onopen = () => { state.textContent = "live"; state.className = "connection live"; refresh().catch(() => {}); };
  source.onmessage = (message) => onEvent(JSON.parse(message.data));
  source.onerror = () => { state.textContent = "reconnecting…"; state.className = "connection down"; };
}

async function rebuildComponent(name, button) {
  button.disabled = true;
  try {
    const response = await api("/api/components/" + encodeURIComponent(name) + "/rebuild", { method: "POST" });
    if (!response.ok) notice(name + ": rebuild refused (" + response.status + ")", true);
  } finally {
    button.disabled = false;
  }
}

$("#redeploy").addEventListener("click", async () => {
  const button = $("#redeploy");
  button.disabled = true;
  button.textContent = "Redeploying…";
  try {
    const outcome = await (await api("/api/redeploy", { method: "POST" })).json();
    notice(outcome.summary, !outcome.ok);
  } finally {
    refreshSoon();
  }
});

setInterval(() => { if (components.size) render(); }, 30000); // keeps "x s ago" honest
refresh().catch(() => {});
connect();
