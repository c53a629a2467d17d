// Live preview of a definition form (自定义指标, 数据质量规则): posts the form to its preview handler a moment after
// the last keystroke and shows the value, or the errors next to their fields. Saves nothing.
(function () {
  document.querySelectorAll('form[data-preview]').forEach(function (form) {
    var out = form.querySelector('output.preview');
    var timer = null;
    function show(data) {
      form.querySelectorAll('[data-for]').forEach(function (el) { el.textContent = ''; });
      if (!data.ok) {
        out.textContent = data.message || '';
        out.className = 'preview error';
        Object.keys(data.errors || {}).forEach(function (k) {
          var el = form.querySelector('[data-for="' + k + '"]');
          if (el) el.textContent = data.errors[k];
        });
        return;
      }
      out.className = 'preview ok';
      out.textContent = data.text || ((data.unit ? data.unit + ' ' : '') + data.year + '学年：' + data.value +
        (data.denominator && data.denominator !== '—' ? '（分子 ' + data.numerator + '，分母 ' + data.denominator + '）' : '（' + data.numerator + '）'));
    }
    function run() {
      fetch(form.getAttribute('data-preview'), { method: 'POST', body: new FormData(form), credentials: 'same-origin' })
        .then(function (r) { return r.ok ? r.json() : { ok: false, message: '预览失败（' + r.status + '）' }; })
        .then(show)
        .catch(function () { out.textContent = '预览失败'; });
    }
    form.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(run, 400); });
  });
})();
