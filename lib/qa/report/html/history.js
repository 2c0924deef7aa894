// qa-report history page (qa-report --history BRANCH --html FILE), after dom.js in one block of
// one strict script (lib/qa/report/history_html.cpp). Data: {"history": qa.history/1}, see
// lib/qa/report/history.hpp. Per label and config, one line chart per metric of the mean at each
// commit (oldest left); a point opens that commit's aggregates below the charts. Every string
// from the data goes through textContent or setAttribute (dom.js), never markup.

function historyPage() {
  const data = JSON.parse(document.getElementById('qa-data').textContent);
  const history = data && typeof data.history === 'object' && data.history ? data.history : {};
  const metrics = Array.isArray(history.metrics) ? history.metrics : [];
  const commits = Array.isArray(history.commits) ? history.commits : [];
  const oldestFirst = commits.slice().reverse();
  const app = document.getElementById('qa-app');
  clear(app);

  const groupKeys = [];
  const seen = new Set();
  for (const commit of commits) {
    for (const group of (Array.isArray(commit.groups) ? commit.groups : [])) {
      const id = JSON.stringify([text(group.label), text(group.config)]);
      if (!seen.has(id)) { seen.add(id); groupKeys.push([text(group.label), text(group.config)]); }
    }
  }
  groupKeys.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));

  const findGroup = (commit, key) => (Array.isArray(commit.groups) ? commit.groups : [])
    .find((g) => text(g.label) === key[0] && text(g.config) === key[1]) || null;
  const meanOf = (group, name) => {
    const stats = group && group.metrics && Object.prototype.hasOwnProperty.call(group.metrics, name) ? group.metrics[name] : null;
    return stats && typeof stats.mean === 'number' && Number.isFinite(stats.mean) ? stats.mean : null;
  };
  const commitLine = (commit) => short(commit.sha) + (commit.date ? ' ' + text(commit.date).slice(0, 10) : '') + (commit.subject ? ' ' + text(commit.subject) : '');

  // The aggregates of `commit`, every label and config, `key`'s row marked.
  function aggregates(commit, key) {
    const head = el('tr', null, el('th', { text: 'label' }), el('th', { text: 'config' }), el('th', { text: 'ok' }), el('th', { text: 'failed' }));
    for (const m of metrics) head.appendChild(el('th', { text: text(m.short_label || m.label || m.name) + ' mean / median (n)' }));
    const body = el('tbody');
    for (const group of (Array.isArray(commit.groups) ? commit.groups : [])) {
      const counts = group.counts || {};
      const row = el('tr', { class: key && text(group.label) === key[0] && text(group.config) === key[1] ? 'qa-current' : null },
        el('td', { text: text(group.label) }), el('td', { text: text(group.config) }),
        el('td', { class: 'num', text: text(counts.ok) }), el('td', { class: 'num', text: text(counts.failed) }));
      for (const m of metrics) {
        const stats = group.metrics && Object.prototype.hasOwnProperty.call(group.metrics, m.name) ? group.metrics[m.name] : null;
        row.appendChild(el('td', { class: 'num', 'data-metric': m.name,
          text: stats && stats.count ? formatValue(m, stats.mean) + ' / ' + formatValue(m, stats.median) + ' (' + text(stats.count) + ')' : '\u2013' }));
      }
      body.appendChild(row);
    }
    return el('div', { class: 'qa-commit', 'data-sha': text(commit.sha) },
      el('h3', null, el('code', { text: short(commit.sha) }), ' ', text(commit.subject)),
      el('p', { class: 'muted', text: (commit.date ? text(commit.date) + ', ' : '') + 'from ' + text(commit.source) }),
      el('div', { class: 'qa-scroll' }, el('table', { class: 'qa-aggregates' }, el('thead', null, head), body)));
  }

  function chart(key, m, detail) {
    const points = [];
    oldestFirst.forEach((commit, x) => {
      const value = commit.has_results ? meanOf(findGroup(commit, key), m.name) : null;
      if (value !== null) points.push([x, value, commit]);
    });
    if (!points.length) return null;
    const width = 460;
    const height = 220;
    const left = 64;
    const bottom = 30;
    let lo = Infinity;
    let hi = -Infinity;
    for (const [, y] of points) { lo = Math.min(lo, y); hi = Math.max(hi, y); }
    if (hi === lo) { hi += Math.abs(hi) * 0.01 || 1; lo -= Math.abs(lo) * 0.01 || 1; }
    const span = Math.max(1, oldestFirst.length - 1);
    const sx = (x) => left + (oldestFirst.length === 1 ? 0.5 : x / span) * (width - left - 12);
    const sy = (y) => height - bottom - ((y - lo) / (hi - lo)) * (height - bottom - 12);
    const root = svg('svg', { width: width, height: height, viewBox: '0 0 ' + width + ' ' + height, role: 'img', class: 'qa-line-chart', 'data-metric': m.name });
    root.appendChild(svg('line', { class: 'axis', x1: left, y1: height - bottom, x2: width - 8, y2: height - bottom }));
    root.appendChild(svg('line', { class: 'axis', x1: left, y1: 8, x2: left, y2: height - bottom }));
    const label = (x, y, value, anchor) => {
      const t = svg('text', { x: x, y: y, 'text-anchor': anchor });
      t.textContent = value;
      root.appendChild(t);
    };
    label(left - 4, sy(hi) + 4, formatValue(m, hi), 'end');
    label(left - 4, sy(lo) + 4, formatValue(m, lo), 'end');
    label(left, height - bottom + 16, short(oldestFirst[0].sha), 'start');
    label(width - 8, height - bottom + 16, short(oldestFirst[oldestFirst.length - 1].sha), 'end');
    root.appendChild(svg('polyline', { class: 'qa-trend', points: points.map(([x, y]) => sx(x).toFixed(1) + ',' + sy(y).toFixed(1)).join(' ') }));
    for (const [x, y, commit] of points) {
      const dot = svg('circle', { class: 'qa-point', cx: sx(x).toFixed(1), cy: sy(y).toFixed(1), r: 5, tabindex: 0, 'data-sha': text(commit.sha), 'data-value': y });
      const title = svg('title');
      title.textContent = commitLine(commit) + ': ' + formatValue(m, y);
      dot.appendChild(title);
      const open = () => {
        for (const other of root.querySelectorAll('.qa-point.selected')) other.classList.remove('selected');
        dot.classList.add('selected');
        clear(detail);
        detail.appendChild(aggregates(commit, key));
      };
      dot.addEventListener('click', open);
      dot.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); open(); } });
      root.appendChild(dot);
    }
    const caption = text(m.label || m.name) + (m.smaller_is_better ? ' (smaller is better)' : ' (larger is better)') + ': mean per commit, oldest left';
    return el('figure', { class: 'qa-chart' }, root, el('figcaption', { text: caption }));
  }

  const withResults = commits.filter((c) => c.has_results).length;
  const gaps = commits.length - withResults;
  app.appendChild(el('div', { class: 'qa-meta' },
    el('div', null, el('span', { class: 'muted', text: 'project ' }), text(history.project)),
    el('div', null, el('span', { class: 'muted', text: 'branch ' }), text(history.branch)),
    el('div', null, el('span', { class: 'muted', text: 'batches ' }), Array.isArray(history.batches) && history.batches.length ? history.batches.map(text).join(', ') : 'every run'),
    el('div', { id: 'qa-history-counts', text: withResults + ' commits with results, ' + gaps + ' without' }),
    el('div', { class: 'muted', text: 'generated ' + text(history.generated_at) })));
  if (!withResults) app.appendChild(el('p', { text: 'No commit of this branch has results.' }));

  for (const key of groupKeys) {
    const section = el('section', { class: 'qa-history-group', 'data-label': key[0], 'data-config': key[1] },
      el('h2', { text: key[0] + ' / ' + key[1] }));
    const box = el('div', { class: 'qa-charts' });
    const detail = el('div', { class: 'qa-commit-detail', 'aria-live': 'polite' },
      el('p', { class: 'muted', text: 'Click a point to see the aggregates of its commit.' }));
    for (const m of metrics) {
      const figure = chart(key, m, detail);
      if (figure) box.appendChild(figure);
    }
    section.appendChild(box);
    section.appendChild(detail);
    app.appendChild(section);
  }

  const list = el('tbody');
  for (const commit of commits) {
    list.appendChild(el('tr', { class: commit.has_results ? null : 'qa-gap', 'data-sha': text(commit.sha) },
      el('td', null, el('code', { text: short(commit.sha) })),
      el('td', { text: commit.date ? text(commit.date).slice(0, 10) : '\u2013' }),
      el('td', { text: text(commit.subject) }),
      el('td', { text: commit.has_results ? (commit.totals ? text(commit.totals.ok) + ' ok, ' + text(commit.totals.failed) + ' failed' : '') : 'no results (gap)' })));
  }
  app.appendChild(el('section', { id: 'qa-history-commits' }, el('h2', { text: 'Commits, newest first' }),
    el('div', { class: 'qa-scroll' }, el('table', null,
      el('thead', null, el('tr', null, el('th', { text: 'commit' }), el('th', { text: 'date' }), el('th', { text: 'subject' }), el('th', { text: 'runs' }))),
      list))));
}

historyPage();
document.documentElement.dataset.qaReady = '1';
