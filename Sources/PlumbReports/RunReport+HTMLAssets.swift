// The HTML report's stylesheet and script: static text, inlined into every report (no external assets), the script
// pinned by its hash in the page's Content-Security-Policy.

extension HTMLReportRenderer {
    static let stylesheet: StaticString = #"""

        :root {
          color-scheme: light dark;
          --bg: #f6f7f9; --panel: #ffffff; --text: #1f2328; --muted: #59636e; --border: #d8dee4;
          --code-bg: #f1f3f5; --accent: #3a5ccc;
          --pass: #1a7f37; --pass-bg: #e6f4ea; --fail: #c2261d; --fail-bg: #fdecea;
          --error: #8a5300; --error-bg: #fff3d6; --bar: #c9d1d9;
        }
        @media (prefers-color-scheme: dark) {
          :root {
            --bg: #14171b; --panel: #1c2026; --text: #e6e9ed; --muted: #9aa4af; --border: #323840;
            --code-bg: #242a31; --accent: #8aa8ff;
            --pass: #5fcf7e; --pass-bg: #17301f; --fail: #ff8a80; --fail-bg: #3a1c1a;
            --error: #f0b942; --error-bg: #33290f; --bar: #3a424c;
          }
        }
        * { box-sizing: border-box; }
        [hidden] { display: none !important; }
        html { -webkit-text-size-adjust: 100%; }
        body {
          margin: 0 auto; padding: 24px 28px 40px; max-width: 1200px; background: var(--bg); color: var(--text);
          font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Helvetica Neue", Arial, sans-serif;
        }
        code, pre, .mono {
          font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", "Liberation Mono", monospace;
          font-size: 0.88em;
        }
        code { background: var(--code-bg); padding: 0.05em 0.35em; border-radius: 4px; overflow-wrap: anywhere; }
        h1 { font-size: 1.6rem; margin: 0; font-weight: 650; }
        h2 { font-size: 1.2rem; margin: 32px 0 12px; padding-bottom: 6px; border-bottom: 1px solid var(--border); }
        h3 { font-size: 1rem; margin: 20px 0 10px; color: var(--muted); font-weight: 600; }
        h4 { font-size: 1rem; margin: 0; font-weight: 600; }
        .muted { color: var(--muted); }
        .empty { color: var(--muted); font-style: italic; margin: 6px 0; }
        .page-header {
          background: var(--panel); border: 1px solid var(--border); border-radius: 10px; padding: 18px 22px;
        }
        .title-row { display: flex; flex-wrap: wrap; align-items: center; gap: 10px 14px; margin-bottom: 12px; }
        .verdict, .run-status {
          display: inline-block; padding: 3px 12px; border-radius: 999px; font-weight: 600; font-size: 0.9rem;
          border: 1px solid currentColor;
        }
        .verdict-held { color: var(--pass); background: var(--pass-bg); }
        .verdict-incomplete { color: var(--error); background: var(--error-bg); }
        .verdict-failed { color: var(--fail); background: var(--fail-bg); }
        svg.bars { display: block; width: 100%; max-width: 600px; height: auto; margin: 0.5rem 0; }
        svg.bars .bar { fill: var(--pass); opacity: 0.55; }
        svg.bars .whisker { stroke: var(--text); stroke-width: 2; }
        svg.bars .bar-label, svg.bars .bar-value { font-size: 12px; fill: var(--text); }
        .facts-list { margin: 0.25rem 0 1rem; padding-left: 1.25rem; }
        table.variants td { vertical-align: top; }
        table.variants pre { white-space: pre-wrap; margin: 0.25rem 0 0; }
        .treatment-positive strong { color: var(--pass); }
        .treatment-negative strong, .treatment-refused strong { color: var(--fail); }
        .treatment-undecided strong { color: var(--error); }
        .verdict-none, .run-status-completed { color: var(--muted); background: var(--code-bg); border-color: var(--border); }
        .run-status-interrupted, .run-status-aborted { color: var(--error); background: var(--error-bg); }
        .facts {
          display: grid; grid-template-columns: repeat(auto-fill, minmax(400px, 1fr)); gap: 6px 24px; margin: 0;
        }
        .facts div { display: flex; gap: 10px; min-width: 0; }
        .facts dt { color: var(--muted); min-width: 72px; }
        .facts dd { margin: 0; min-width: 0; overflow-wrap: anywhere; }
        .totals { display: flex; flex-wrap: wrap; gap: 10px; margin-top: 16px; }
        .total {
          flex: 1 1 110px; border: 1px solid var(--border); border-radius: 8px; padding: 8px 12px;
          display: flex; flex-direction: column; background: var(--bg);
        }
        .total-rate { flex: 2 0 230px; }
        .total-rate .total-value { white-space: nowrap; }
        .total-value { font-size: 1.35rem; font-weight: 650; font-variant-numeric: tabular-nums; }
        .total-label { color: var(--muted); font-size: 0.85rem; }
        .total-pass .total-value { color: var(--pass); }
        .total-fail .total-value { color: var(--fail); }
        .total-error .total-value { color: var(--error); }
        .table-wrap { overflow-x: auto; }
        table { border-collapse: collapse; width: 100%; background: var(--panel); }
        .summary { border: 1px solid var(--border); border-radius: 8px; }
        th, td { text-align: left; padding: 7px 10px; border-bottom: 1px solid var(--border); vertical-align: top; }
        thead th { font-size: 0.82rem; color: var(--muted); font-weight: 600; background: var(--code-bg); }
        tfoot th, tfoot td { font-weight: 650; border-bottom: none; }
        .num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        .count-fail { color: var(--fail); font-weight: 600; }
        .count-error { color: var(--error); font-weight: 600; }
        .rate { white-space: nowrap; font-variant-numeric: tabular-nums; min-width: 190px; }
        .rate-text { display: block; }
        .bar {
          display: block; position: relative; height: 6px; margin-top: 4px; border-radius: 3px; background: var(--bar);
          overflow: hidden; print-color-adjust: exact; -webkit-print-color-adjust: exact;
        }
        .bar-fill { position: absolute; left: 0; top: 0; bottom: 0; background: var(--pass); opacity: 0.75; }
        .bar-ci { position: absolute; top: 2px; height: 2px; background: var(--text); opacity: 0.55; }
        .suite-name { display: block; font-weight: 600; overflow-wrap: anywhere; }
        .suite-description { display: block; font-weight: 400; color: var(--text); font-size: 0.9rem; }
        .suite-file { display: block; font-weight: 400; color: var(--muted); font-size: 0.82rem; overflow-wrap: anywhere; }
        .tag, .tags li {
          display: inline-block; font-size: 0.8rem; padding: 0 8px; border-radius: 999px; background: var(--code-bg);
          border: 1px solid var(--border); color: var(--muted);
        }
        .badge {
          display: inline-block; font-size: 0.78rem; font-weight: 700; letter-spacing: 0.03em; text-transform: uppercase;
          padding: 1px 8px; border-radius: 5px; border: 1px solid currentColor; white-space: nowrap;
        }
        .badge-pass { color: var(--pass); background: var(--pass-bg); }
        .badge-fail { color: var(--fail); background: var(--fail-bg); }
        .badge-error { color: var(--error); background: var(--error-bg); border-style: dashed; }
        .gates { list-style: none; padding: 0; margin: 0; display: grid; gap: 8px; }
        .gate {
          display: flex; gap: 12px; align-items: flex-start; background: var(--panel); border: 1px solid var(--border);
          border-left-width: 4px; border-radius: 8px; padding: 10px 14px;
        }
        .gate-passed { border-left-color: var(--pass); }
        .gate-failed { border-color: var(--fail); border-left-width: 6px; background: var(--fail-bg); }
        .gate-title { font-weight: 600; display: flex; flex-wrap: wrap; gap: 4px 8px; align-items: baseline; }
        .gate-actual { color: var(--muted); font-weight: 400; font-size: 0.9rem; font-variant-numeric: tabular-nums; }
        .gate-message { margin-top: 2px; overflow-wrap: anywhere; }
        .filters {
          position: sticky; top: 0; z-index: 2; display: flex; flex-wrap: wrap; align-items: center; gap: 10px 18px;
          background: var(--panel); border: 1px solid var(--border); border-radius: 8px; padding: 10px 14px;
          margin-bottom: 8px; box-shadow: 0 2px 6px rgba(0, 0, 0, 0.06);
        }
        .outcomes { border: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 6px 12px; align-items: center; }
        .outcomes legend { float: left; color: var(--muted); margin-right: 4px; padding: 0; }
        .toggle { cursor: pointer; white-space: nowrap; }
        .toggle-pass { color: var(--pass); }
        .toggle-fail { color: var(--fail); }
        .toggle-error { color: var(--error); }
        .field { color: var(--muted); display: flex; align-items: center; gap: 6px; }
        .field-search { flex: 1 1 260px; }
        .field-search input { flex: 1; }
        select, input[type=search], button {
          font: inherit; font-size: 0.92rem; color: var(--text); background: var(--bg); border: 1px solid var(--border);
          border-radius: 6px; padding: 4px 8px;
        }
        button { cursor: pointer; }
        button.more { display: block; margin: 1rem auto; }
        input[type=checkbox] { accent-color: var(--accent); }
        .item {
          background: var(--panel); border: 1px solid var(--border); border-left: 5px solid var(--pass);
          border-radius: 8px; padding: 12px 16px; margin: 0 0 12px; break-inside: avoid; scroll-margin-top: 110px;
        }
        .item-fail { border-left-color: var(--fail); }
        .item-error { border-left: 5px dashed var(--error); }
        .item-head { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 10px; }
        .item-title { display: flex; flex-wrap: wrap; align-items: baseline; gap: 4px 6px; min-width: 0; }
        .item-suite, .item-sample { overflow-wrap: anywhere; }
        .item-repeat, .sep { color: var(--muted); font-weight: 400; font-size: 0.88rem; }
        .tags { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 4px; }
        .item-meta {
          display: flex; flex-wrap: wrap; gap: 2px 18px; margin: 8px 0 4px; font-size: 0.85rem;
          font-variant-numeric: tabular-nums;
        }
        .item-meta div { display: flex; gap: 6px; min-width: 0; }
        .item-meta dt { color: var(--muted); }
        .item-meta dd { margin: 0; overflow-wrap: anywhere; }
        .block { margin-top: 10px; }
        .block-label {
          font-size: 0.8rem; font-weight: 600; color: var(--muted); text-transform: uppercase; letter-spacing: 0.04em;
        }
        summary { cursor: pointer; }
        .message { margin: 6px 0 0 14px; }
        .role { font-size: 0.78rem; font-weight: 600; color: var(--accent); }
        .message[data-role="system"] .role { color: var(--muted); }
        pre {
          margin: 2px 0 0; padding: 8px 10px; background: var(--code-bg); border: 1px solid var(--border);
          border-radius: 6px; white-space: pre-wrap; overflow-wrap: anywhere; tab-size: 4;
        }
        pre.output { border-left: 3px solid var(--accent); }
        .error-box {
          margin-top: 10px; padding: 8px 10px; border-radius: 6px; background: var(--error-bg);
          border: 1px dashed var(--error); overflow-wrap: anywhere;
        }
        .error-box strong { color: var(--error); }
        .checks { margin-top: 10px; font-size: 0.9rem; border: 1px solid var(--border); table-layout: fixed; }
        .checks th:nth-child(1) { width: 30%; }
        .checks th:nth-child(2) { width: 104px; }
        .checks th:nth-child(3) { width: 72px; }
        .checks td { overflow-wrap: anywhere; }
        .checks td { padding: 5px 8px; }
        .checks th { padding: 5px 8px; }
        .check-name { font-weight: 600; }
        .reason { overflow-wrap: anywhere; }
        tr.check-fail td { background: var(--fail-bg); }
        tr.check-error td { background: var(--error-bg); }
        .page-footer { margin-top: 36px; color: var(--muted); font-size: 0.82rem; text-align: center; }
        @media print {
          :root {
            color-scheme: light;
            --bg: #ffffff; --panel: #ffffff; --text: #000000; --muted: #444c56; --border: #c4c9cf; --code-bg: #f3f4f6;
            --pass: #1a7f37; --pass-bg: #ffffff; --fail: #b3261e; --fail-bg: #fff5f4; --error: #7a4a00;
            --error-bg: #fffaf0; --bar: #d0d7de; --accent: #3a5ccc;
          }
          body { padding: 0; max-width: none; font-size: 10.5pt; }
          .filters { display: none !important; }
          .item, .gate, .page-header { box-shadow: none; }
          .table-wrap { overflow: visible; }
          h2 { break-after: avoid; }
        }

        """#

    static let script: StaticString = #"""

        (() => {
          "use strict";
          const filters = document.getElementById("filters");
          if (!filters) { return; }
          const section = document.getElementById("items");
          const total = Number(section.dataset.total);
          const groups = Array.from(document.querySelectorAll(".item-group"));
          const boxes = Array.from(filters.querySelectorAll("input[type=checkbox]"));
          const suite = document.getElementById("filter-suite");
          const search = document.getElementById("filter-search");
          const count = document.getElementById("filter-count");
          const none = document.getElementById("no-match");
          // Pages wait as text in data blocks: made into elements on "Show more", or all when a filter needs them.
          const label = (group) => {
            const button = group.querySelector("button.more");
            if (!button) { return; }
            const waiting = Array.from(group.querySelectorAll("script.more"));
            const sizes = waiting.map((page) => (page.textContent.match(/<article /g) || []).length);
            button.hidden = waiting.length === 0;
            button.textContent = "Show " + (sizes.length ? sizes[0] : 0) + " more ("
              + sizes.reduce((sum, size) => sum + size, 0) + " not shown)";
          };
          const open = (page) => {
            const holder = document.createElement("template");
            holder.innerHTML = page.textContent;
            page.replaceWith(holder.content);
          };
          let items = [];
          let texts = [];
          const collect = () => {
            const found = Array.from(document.querySelectorAll("article.item"));
            if (found.length !== items.length) {
              items = found;
              texts = items.map((item) => item.textContent.toLowerCase());
            }
          };
          const filtering = () => boxes.some((box) => !box.checked) || suite.value !== "" || search.value.trim() !== "";
          const apply = () => {
            if (filtering()) {
              document.querySelectorAll("script.more").forEach(open);
              groups.forEach(label);
            }
            collect();
            const outcomes = new Set(boxes.filter((box) => box.checked).map((box) => box.value));
            const query = search.value.trim().toLowerCase();
            let shown = 0;
            items.forEach((item, index) => {
              const visible = outcomes.has(item.dataset.outcome)
                && (suite.value === "" || item.dataset.suite === suite.value)
                && (query === "" || texts[index].includes(query));
              item.hidden = !visible;
              if (visible) { shown += 1; }
            });
            groups.forEach((group) => {
              group.hidden = !group.querySelector("article.item:not([hidden])") && !group.querySelector("script.more");
            });
            count.textContent = "Showing " + shown + " of " + total + " items";
            none.hidden = shown !== 0;
          };
          groups.forEach((group) => {
            const button = group.querySelector("button.more");
            if (!button) { return; }
            button.addEventListener("click", () => {
              const page = group.querySelector("script.more");
              if (page) { open(page); }
              label(group);
              apply();
            });
            label(group);
          });
          filters.addEventListener("input", apply);
          filters.addEventListener("change", apply);
          document.getElementById("filter-reset").addEventListener("click", () => {
            boxes.forEach((box) => { box.checked = true; });
            suite.value = "";
            search.value = "";
            apply();
          });
          const wanted = /^#search=(.+)$/.exec(location.hash);
          if (wanted) {
            try { search.value = decodeURIComponent(wanted[1]); } catch (error) { search.value = wanted[1]; }
          }
          filters.hidden = false;
          apply();
          let opened = [];
          window.addEventListener("beforeprint", () => {
            document.querySelectorAll("script.more").forEach(open);
            groups.forEach(label);
            collect();
            opened = Array.from(document.querySelectorAll("details:not([open])"));
            opened.forEach((details) => { details.open = true; });
          });
          window.addEventListener("afterprint", () => {
            opened.forEach((details) => { details.open = false; });
            opened = [];
          });
        })();

        """#
}
