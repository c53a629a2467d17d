// EduBureau charts: every element with class "echart" carries its Apache ECharts option as JSON in a
// <script type="application/json"> child (the server builds it; no inline script, so the CSP stays 'self').
// ECharts itself (1 MB) is loaded only on pages that have a chart. A chart with data-map-url first fetches
// that GeoJSON and registers it under data-map-name (township maps).
(function () {
    'use strict';
    var boxes = document.querySelectorAll('.echart');
    if (!boxes.length) return;

    var nf1 = new Intl.NumberFormat('zh-CN', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
    var nf2 = new Intl.NumberFormat('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    var nf0 = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 0 });
    function num(v) { return typeof v === 'number' && isFinite(v); }
    function pick(v) { return Array.isArray(v) ? v[v.length - 1] : (v && typeof v === 'object' && 'value' in v ? pick(v.value) : v); }
    // Named formatters: an option value "fn:NAME" becomes the function below (JSON cannot carry functions).
    var fns = {
        pct1: function (v) { v = pick(v); return num(v) ? nf1.format(v) + '%' : '—'; },
        num1: function (v) { v = pick(v); return num(v) ? nf1.format(v) : '—'; },
        num2: function (v) { v = pick(v); return num(v) ? nf2.format(v) : '—'; },
        int: function (v) { v = pick(v); return num(v) ? nf0.format(v) : '—'; },
        // label formatter for series data: params.value
        labelPct1: function (p) { return fns.pct1(p.value); },
        labelNum1: function (p) { return fns.num1(p.value); },
        labelInt: function (p) { return fns.int(p.value); },
        labelName: function (p) { return p.name; },
        // tooltip for a scatter point [x, y, name, ...]: "name: x / y"
        pointName: function (p) { var d = p.data || {}; var v = d.value || p.value || []; return (d.name || p.name || v[2] || '') + '<br>' + (p.seriesName || '') + ' ' + fns.num1(v[0]) + '，' + fns.num1(v[1]); }
    };
    // Ratios such as 生师比 "15.2:1" (indicator charts).
    fns.ratio1 = function (v) { v = pick(v); return num(v) ? nf1.format(v) + ':1' : '—'; }; fns.labelRatio1 = function (p) { return fns.ratio1(p.value); };
    // township map tooltip (Indicators/_TownshipMap): the township and the server's text (value, or 不适用/缺少数据 and why)
    fns.mapTip = function (p) { var esc = function (s) { return String(s).replace(/[&<>"]/g, function (c) { return '&#' + c.charCodeAt(0) + ';'; }); }; var d = p.data || {}; return esc(p.name) + '：' + esc(d.text || '无数据'); };
    function revive(o) {
        if (Array.isArray(o)) { for (var i = 0; i < o.length; i++) o[i] = revive(o[i]); return o; }
        if (o && typeof o === 'object') { for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) o[k] = revive(o[k]); return o; }
        if (typeof o === 'string' && o.indexOf('fn:') === 0 && fns[o.substring(3)]) return fns[o.substring(3)];
        return o;
    }

    function draw() {
        var charts = [];
        Array.prototype.forEach.call(boxes, function (box) {
            var data = box.querySelector('script[type="application/json"]');
            if (!data) return;
            var option;
            try { option = revive(JSON.parse(data.textContent)); } catch (e) { return; }
            var render = function () {
                var fallback = box.querySelector('.echart-fallback');
                if (fallback) fallback.hidden = true;
                var chart = echarts.init(box, null, { renderer: 'svg', locale: 'ZH' });
                chart.setOption(option);
                charts.push(chart);
            };
            var url = box.getAttribute('data-map-url');
            if (url) {
                fetch(url, { credentials: 'same-origin' })
                    .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
                    .then(function (geo) { echarts.registerMap(box.getAttribute('data-map-name') || 'county', geo); render(); })
                    .catch(function () { box.classList.add('echart-failed'); });
            } else {
                render();
            }
        });
        var timer;
        window.addEventListener('resize', function () {
            clearTimeout(timer);
            timer = setTimeout(function () { charts.forEach(function (c) { c.resize(); }); }, 150);
        });
    }

    var self = document.currentScript || document.querySelector('script[src*="/js/charts.js"]');
    var lib = document.createElement('script');
    // Next to this file, so the app also works under a path base.
    lib.src = self ? self.src.replace(/js\/charts\.js.*$/, 'lib/echarts/echarts.min.js') : '/lib/echarts/echarts.min.js';
    lib.onload = draw;
    document.head.appendChild(lib);
})();
