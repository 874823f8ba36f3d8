import * as echarts from 'echarts';
import { formatNumber, type Lang } from '../core/text-format.js';
import type { HeatMap } from './types.js';

/**
 * Server-side SVG charts of the reports (ECharts' SSR renderer: no browser, no script in the page). Colours are chosen
 * for distinct grey levels too, so a black-and-white print still tells the classes apart; every chart also has its
 * table in the report.
 */

/** Classes of a heat map cell, darkest = worst. */
export const HEAT_COLOURS = { met: '#b7e1b7', below: '#f0a030', bad: '#7a0000', none: '#ffffff' } as const;

/** Availability under which a day is `bad` (dark red), whatever the target. */
const BAD_BELOW = 90;

/**
 * ECharts numbers its SVG classes with process-wide counters (`zr3-cls-12`): renamed here in order of appearance to
 * `<id>-<k>`, so the same data gives the same bytes whatever was rendered before (reports are hashed).
 */
function stableIds(svg: string, id: string): string {
  const names = new Map<string, string>();
  return svg.replace(/zr\d+-cls-\d+|zr\d+-c\d+|zr\d+-\w+-\d+/g, (m) => {
    let n = names.get(m);
    if (!n) names.set(m, (n = `${id}-${names.size}`));
    return n;
  });
}

function render(id: string, width: number, height: number, option: echarts.EChartsOption): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({ animation: false, ...option });
    return stableIds(chart.renderToSVGString(), id);
  } finally {
    chart.dispose();
  }
}

/**
 * A calendar heat map: one column per local day, one row per establishment, the cell's class from the day's
 * availability within service hours (no data: white with a grey border). Day labels are the day of the month.
 */
export function heatMapSvg(map: HeatMap, lang: Lang): string {
  const cell = 16;
  const labelWidth = 210;
  const width = labelWidth + map.days.length * cell + 20;
  const height = 40 + map.rows.length * cell + 10;
  // No data is -1: its own class (white), below every availability.
  const data: [number, number, number][] = [];
  map.rows.forEach((row, y) => row.values.forEach((v, x) => data.push([x, y, v ?? -1])));
  const t = map.targetPercent;
  return render(map.id, width, height, {
    grid: { left: labelWidth, top: 30, right: 20, bottom: 10 },
    xAxis: { type: 'category', position: 'top', data: map.days.map((d) => String(Number(d.slice(8, 10)))), axisTick: { show: false }, axisLabel: { fontSize: 9, interval: 0 }, axisLine: { show: false } },
    yAxis: { type: 'category', inverse: true, data: map.rows.map((r) => r.label), axisTick: { show: false }, axisLabel: { fontSize: 10, width: labelWidth - 10, overflow: 'truncate' }, axisLine: { show: false } },
    visualMap: {
      show: false,
      type: 'piecewise',
      dimension: 2,
      pieces: [
        { lt: 0, color: HEAT_COLOURS.none },
        { gte: 0, lt: Math.min(BAD_BELOW, t), color: HEAT_COLOURS.bad },
        { gte: Math.min(BAD_BELOW, t), lt: t, color: HEAT_COLOURS.below },
        { gte: t, color: HEAT_COLOURS.met },
      ],
    },
    series: [{ type: 'heatmap', data, name: lang === 'fr' ? 'disponibilité' : 'availability', itemStyle: { borderColor: '#888888', borderWidth: 0.5 } }],
  });
}

/** Bars of the pooled daily availability (no bar on a day without data), with the target as a dashed line. */
export function dailyBarsSvg(id: string, days: readonly string[], values: readonly (number | null)[], targetPercent: number, lang: Lang): string {
  const min = Math.max(0, Math.floor(Math.min(targetPercent, ...values.filter((v): v is number => v !== null)) - 1));
  return render(id, 640, 180, {
    grid: { left: 50, top: 15, right: 15, bottom: 30 },
    xAxis: { type: 'category', data: days.map((d) => String(Number(d.slice(8, 10)))), axisLabel: { fontSize: 9, interval: 0 } },
    yAxis: { type: 'value', min, max: 100, axisLabel: { fontSize: 9, formatter: (v: number) => formatNumber(v, lang, 1) } },
    series: [
      {
        type: 'bar',
        data: values.map((v) => (v === null ? null : { value: v, itemStyle: { color: v >= targetPercent ? '#4a7f4a' : v >= BAD_BELOW ? HEAT_COLOURS.below : HEAT_COLOURS.bad } })),
        markLine: { silent: true, symbol: 'none', lineStyle: { type: 'dashed', color: '#000000' }, data: [{ yAxis: targetPercent }], label: { show: false } },
      },
    ],
  });
}
