// A hand-written SVG grouped bar chart (no dependency): one group per workload, one bar per
// variant, log-scale y axis in million elements per second, each bar labelled with its ratio
// to the naive JS loop. Missing figures leave a gap marked with a dash.

export interface ChartSeries {
  label: string;
  color: string;
  /** one value per group; undefined = not measured */
  values: (number | undefined)[];
}

export interface Chart {
  title: string;
  subtitle: string;
  groups: string[];
  /** second line under each group name (e.g. the shape) */
  groupNotes: string[];
  series: ChartSeries[];
  /** index of the series the ratio labels divide by (naive JS) */
  baseline: number;
  yLabel: string;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const num = (x: number) => (Math.round(x * 10) / 10).toString();

function fmtTick(v: number): string {
  return v >= 1000 ? `${v / 1000}k` : `${v}`;
}

function fmtRatio(r: number): string {
  return r >= 10 ? `${r.toFixed(0)}x` : `${r.toFixed(1)}x`;
}

export function barChart(c: Chart): string {
  const nS = c.series.length;
  const barW = 16, barGap = 2, groupGap = 34;
  const groupW = nS * (barW + barGap) - barGap;
  const left = 70, right = 20, top = 74, plotH = 340, bottom = 64;
  const legendRows = Math.ceil(nS / 4);
  const legendH = 20 * legendRows + 10;
  const width = left + right + c.groups.length * groupW + (c.groups.length - 1) * groupGap + 20;
  const height = top + plotH + bottom + legendH;

  const all = c.series.flatMap((s) => s.values).filter((v): v is number => v !== undefined && v > 0);
  const lo = Math.pow(10, Math.floor(Math.log10(Math.min(...all, 10))));
  const hi = Math.pow(10, Math.ceil(Math.log10(Math.max(...all, 100)) + 0.15));
  const y = (v: number) => top + plotH - (plotH * (Math.log10(v) - Math.log10(lo))) / (Math.log10(hi) - Math.log10(lo));

  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="12">`);
  out.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);
  out.push(`<text x="${left}" y="24" font-size="16" font-weight="bold" fill="#222">${esc(c.title)}</text>`);
  out.push(`<text x="${left}" y="44" font-size="11" fill="#555">${esc(c.subtitle)}</text>`);

  // grid: decades and 2x / 5x minor lines
  for (let d = lo; d <= hi * 1.0001; d *= 10) {
    for (const m of [1, 2, 5]) {
      const v = d * m;
      if (v > hi * 1.0001) break;
      const yy = num(y(v));
      out.push(`<line x1="${left}" x2="${width - right}" y1="${yy}" y2="${yy}" stroke="${m === 1 ? '#bbb' : '#e6e6e6'}" stroke-width="1"/>`);
      out.push(`<text x="${left - 6}" y="${num(y(v) + 4)}" text-anchor="end" fill="#444">${fmtTick(v)}</text>`);
    }
  }
  out.push(`<text transform="translate(18 ${top + plotH / 2}) rotate(-90)" text-anchor="middle" fill="#333">${esc(c.yLabel)}</text>`);
  out.push(`<line x1="${left}" x2="${left}" y1="${top}" y2="${top + plotH}" stroke="#444"/>`);
  out.push(`<line x1="${left}" x2="${width - right}" y1="${top + plotH}" y2="${top + plotH}" stroke="#444"/>`);

  c.groups.forEach((g, gi) => {
    const gx = left + 10 + gi * (groupW + groupGap);
    const base = c.series[c.baseline]?.values[gi];
    c.series.forEach((s, si) => {
      const v = s.values[gi];
      const x = gx + si * (barW + barGap);
      if (v === undefined || !(v > 0)) {
        out.push(`<text x="${num(x + barW / 2)}" y="${top + plotH - 4}" text-anchor="middle" fill="#999">–</text>`);
        return;
      }
      const yy = y(v);
      out.push(`<rect x="${num(x)}" y="${num(yy)}" width="${barW}" height="${num(top + plotH - yy)}" fill="${s.color}"><title>${esc(`${g} — ${s.label}: ${v.toFixed(1)} Melem/s`)}${base ? esc(`, ${(v / base).toFixed(2)}x naive JS`) : ''}</title></rect>`);
      if (base && si !== c.baseline) {
        const lx = x + barW / 2 + 4, ly = yy - 4;
        out.push(`<text transform="translate(${num(lx)} ${num(ly)}) rotate(-90)" font-size="10" fill="#333">${fmtRatio(v / base)}</text>`);
      }
    });
    const cx = gx + groupW / 2;
    out.push(`<text x="${num(cx)}" y="${top + plotH + 18}" text-anchor="middle" font-weight="bold" fill="#222">${esc(g)}</text>`);
    out.push(`<text x="${num(cx)}" y="${top + plotH + 34}" text-anchor="middle" font-size="11" fill="#555">${esc(c.groupNotes[gi] ?? '')}</text>`);
  });

  // legend
  const ly0 = top + plotH + bottom - 6;
  const colW = Math.max(170, (width - left - right) / 4);
  c.series.forEach((s, si) => {
    const lx = left + (si % 4) * colW, ly = ly0 + Math.floor(si / 4) * 20;
    out.push(`<rect x="${num(lx)}" y="${ly}" width="12" height="12" fill="${s.color}"/>`);
    out.push(`<text x="${num(lx + 17)}" y="${ly + 10}" fill="#222">${esc(s.label)}</text>`);
  });
  out.push(`<text x="${width - right}" y="${top - 10}" text-anchor="end" font-size="10" fill="#555">bar labels: ratio to naive JS (same run, same data); log scale</text>`);
  out.push('</svg>');
  return out.join('\n') + '\n';
}
