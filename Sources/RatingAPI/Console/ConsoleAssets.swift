/// The console's stylesheet and script, compiled into the binary and served under
/// `/ui/assets/`.
enum ConsoleAssets {
    static let stylesheet = """
        :root { --fg: #1c2430; --muted: #5a6472; --line: #d7dce3; --bg: #f7f8fa; --card: #fff; --accent: #1f5fbf;
          --p1: #b3261e; --p2: #c4661a; --p3: #8a6d00; --p4: #3d6b35; --p5: #5a6472; --focus: #ffb000; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 15px/1.45 system-ui, "DejaVu Sans", sans-serif; color: var(--fg); background: var(--bg); }
        a { color: var(--accent); }
        a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible, textarea:focus-visible, main:focus-visible {
          outline: 3px solid var(--focus); outline-offset: 2px; }
        .skip { position: absolute; left: -999px; top: 0; background: var(--card); padding: .5em; }
        .skip:focus { left: .5em; z-index: 10; }
        .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
        header.top { display: flex; flex-wrap: wrap; gap: .5em 1.5em; align-items: center; padding: .6em 1em; background: #1c2430; color: #fff; }
        header.top a { color: #fff; text-decoration: none; padding: .2em .4em; border-radius: 4px; }
        header.top a[aria-current="page"] { background: #3a4658; }
        .brand { font-weight: 700; letter-spacing: .03em; }
        nav { display: flex; flex-wrap: wrap; gap: .3em; }
        .who { margin-left: auto; display: flex; flex-wrap: wrap; gap: .6em; align-items: center; }
        .who form { margin: 0; }
        main { padding: 1em; max-width: 1200px; margin: 0 auto; }
        h1 { font-size: 1.5em; margin: .3em 0 .6em; overflow-wrap: anywhere; }
        h2 { font-size: 1.15em; margin: 1.2em 0 .5em; }
        table { border-collapse: collapse; width: 100%; background: var(--card); }
        th, td { text-align: left; padding: .4em .6em; border-bottom: 1px solid var(--line); vertical-align: top; overflow-wrap: break-word; }
        thead th { hyphens: none; word-break: keep-all; }
        thead th { font-size: .85em; color: var(--muted); }
        caption { text-align: left; color: var(--muted); padding: .3em 0; }
        .scroll { overflow-x: auto; }
        .labels, .meta, .ago { color: var(--muted); font-size: .85em; }
        .empty { color: var(--muted); text-align: center; }
        .badge { display: inline-block; padding: 0 .45em; border-radius: 3px; font-size: .85em; background: #e8ebf0; }
        .badge.P1 { background: var(--p1); color: #fff; } .badge.P2 { background: var(--p2); color: #fff; }
        .badge.P3 { background: var(--p3); color: #fff; } .badge.P4 { background: var(--p4); color: #fff; }
        .badge.P5 { background: var(--p5); color: #fff; } .badge.muted { background: #ddd5f3; } .badge.ack { background: #d3ecd5; }
        button, .button { font: inherit; padding: .35em .8em; border: 1px solid var(--accent); border-radius: 4px; background: var(--accent);
          color: #fff; cursor: pointer; text-decoration: none; display: inline-block; }
        header.top button { background: transparent; border-color: #8b96a8; }
        input, select, textarea { font: inherit; padding: .3em .4em; border: 1px solid #9aa4b2; border-radius: 4px; max-width: 100%; background: #fff; }
        label { font-weight: 600; font-size: .9em; display: block; }
        .filters { display: flex; flex-wrap: wrap; gap: .6em; align-items: flex-end; margin-bottom: .6em; }
        .filters input#filter { width: 22em; }
        .stack { display: flex; flex-direction: column; gap: .4em; max-width: 40em; }
        .row { display: flex; flex-wrap: wrap; gap: .6em; align-items: center; }
        .actions { display: flex; flex-wrap: wrap; gap: .5em; margin: .6em 0 1em; }
        .actions form { margin: 0; }
        .flash { background: #e3f1e4; border: 1px solid #9ccc9f; padding: .5em .8em; border-radius: 4px; }
        .error { background: #fbe4e2; border: 1px solid #e3a29c; padding: .5em .8em; border-radius: 4px; }
        .score-line { display: flex; flex-wrap: wrap; gap: 1.2em; font-size: 1.05em; }
        #score { font-size: 1.4em; }
        .bar .track { fill: #e8ebf0; } .bar .fill { fill: var(--accent); } .bar .fill.lowers { fill: var(--p2); }
        .histogram .bar { fill: var(--accent); }
        .sparkline polyline { fill: none; stroke: var(--accent); stroke-width: 1.5; }
        .columns { display: grid; grid-template-columns: repeat(auto-fit, minmax(280px, 1fr)); gap: 1em; }
        .timeline { padding-left: 1.2em; } .timeline li { margin: .3em 0; }
        .outcome-delivered { color: var(--p4); } .outcome-dead, .outcome-retry { color: var(--p1); }
        .tabs a { margin-right: .6em; } .tabs a[aria-current="page"] { font-weight: 700; }
        .pages { display: flex; gap: 1em; }
        .live::before { content: "● "; color: var(--muted); } .live.on::before { color: var(--p4); }
        code, .labels, td.detail, td.last-error { overflow-wrap: anywhere; } code { font-size: .9em; }
        @media (max-width: 640px) {
          body { font-size: 14px; } main { padding: .6em; } .filters input#filter { width: 100%; } .filters > div { flex: 1 1 100%; }
          table#alerts thead { display: none; } table#alerts tr { display: block; border-bottom: 1px solid var(--line); }
          table#alerts td { display: inline-block; border: 0; padding: .2em .4em; } table#alerts td:first-child { display: block; }
        }

        """

    /// Keeps relative times current and, on the alerts page, replaces the rows whenever the
    /// server sends new ones (server-sent events); nothing else needs a script.
    static let script = """
        "use strict";
        function ago(iso) {
          const seconds = Math.round((Date.now() - Date.parse(iso)) / 1000);
          const future = seconds < 0, s = Math.abs(seconds);
          const text = s < 60 ? s + " s" : s < 3600 ? Math.round(s / 60) + " min" : s < 86400 ? Math.round(s / 3600) + " h" : Math.round(s / 86400) + " d";
          return future ? "in " + text : text + " ago";
        }
        function refreshTimes(root) {
          root.querySelectorAll("[data-ago]").forEach(function (element) { element.textContent = ago(element.dataset.ago); });
        }
        document.addEventListener("DOMContentLoaded", function () {
          refreshTimes(document);
          setInterval(function () { refreshTimes(document); }, 15000);
          const live = document.getElementById("live");
          const rows = document.getElementById("alert-rows");
          if (!live || !rows || !window.EventSource) return;
          const events = new EventSource(live.dataset.events);
          events.addEventListener("open", function () { live.textContent = "live"; live.classList.add("on"); });
          events.addEventListener("error", function () { live.textContent = "reconnecting"; live.classList.remove("on"); });
          events.addEventListener("rows", function (event) {
            const update = JSON.parse(event.data);
            rows.innerHTML = update.rows;
            document.getElementById("alert-count").textContent = update.count;
            refreshTimes(rows);
          });
          events.addEventListener("signed-out", function () { events.close(); window.location.assign("/ui/sign-in"); });
        });

        """
}
