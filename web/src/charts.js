// ECharts, imported piece by piece so that the bundle carries only the charts the views use.

import * as echarts from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent, DataZoomComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, DataZoomComponent, CanvasRenderer]);

function mount(el, option, onClick) {
  const chart = echarts.init(el, null, { renderer: 'canvas' });
  chart.setOption(option);
  if (onClick) chart.on('click', (p) => onClick(p.name, p));
  const resize = () => chart.resize();
  window.addEventListener('resize', resize);
  return {
    chart,
    dispose() {
      window.removeEventListener('resize', resize);
      chart.dispose();
    },
  };
}

/** Bars over categories (stacked when series share `stack`); a click reports the category. */
export function barChart(el, { categories, series, onClick, yName }) {
  return mount(
    el,
    {
      animation: false,
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { top: 0 },
      grid: { left: 50, right: 20, top: 36, bottom: categories.length > 24 ? 60 : 30 },
      xAxis: { type: 'category', data: categories },
      yAxis: { type: 'value', name: yName, minInterval: 1 },
      dataZoom: categories.length > 24 ? [{ type: 'slider', height: 18, bottom: 8 }] : [],
      series: series.map((s) => ({ type: 'bar', name: s.name, stack: s.stack, data: s.data, itemStyle: { color: s.color } })),
    },
    onClick,
  );
}

/**
 * A dyad series: event counts per period for both directions (bars, left axis) and their mean
 * Goldstein (lines, right axis). A click on any point reports the period.
 */
export function dyadChart(el, { categories, directions, onClick }) {
  const series = [];
  for (const d of directions) {
    series.push({ type: 'bar', name: `${d.name} events`, data: d.events, itemStyle: { color: d.color } });
  }
  for (const d of directions) {
    series.push({
      type: 'line',
      name: `${d.name} mean Goldstein`,
      yAxisIndex: 1,
      data: d.goldstein,
      connectNulls: false,
      symbolSize: 7,
      lineStyle: { color: d.color, type: 'dashed' },
      itemStyle: { color: d.color },
    });
  }
  return mount(
    el,
    {
      animation: false,
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 50, right: 50, top: 40, bottom: categories.length > 24 ? 60 : 30 },
      xAxis: { type: 'category', data: categories },
      yAxis: [
        { type: 'value', name: 'events', minInterval: 1 },
        { type: 'value', name: 'Goldstein', min: -10, max: 10 },
      ],
      dataZoom: categories.length > 24 ? [{ type: 'slider', height: 18, bottom: 8 }] : [],
      series,
    },
    onClick,
  );
}
