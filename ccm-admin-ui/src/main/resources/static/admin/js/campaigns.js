/*
 * Campaign pages in the browser: the CSRF header for htmx requests, focus on the error
 * summary, live figures polled only while the tab is visible (the content security policy
 * forbids htmx's evaluated trigger filters, so the check lives here), and the charts of
 * the results page drawn with uPlot. Every page also works without it.
 */
(function () {
	'use strict';

	var csrfToken = document.querySelector('meta[name="_csrf"]');
	var csrfHeader = document.querySelector('meta[name="_csrf_header"]');
	document.addEventListener('htmx:configRequest', function (event) {
		if (csrfToken && csrfHeader) {
			event.detail.headers[csrfHeader.content] = csrfToken.content;
		}
	});

	var summary = document.querySelector('.error-summary');
	if (summary) {
		summary.focus();
	}
	document.addEventListener('click', function (event) {
		var link = event.target.closest('.error-summary a');
		if (link && link.hash) {
			var field = document.getElementById(link.hash.substring(1));
			if (field) {
				field.focus();
				event.preventDefault();
			}
		}
	});

	// a hidden tab does not poll; it catches up at once when it is shown again
	document.addEventListener('htmx:beforeRequest', function (event) {
		var elt = event.detail.elt;
		if (elt && elt.getAttribute('data-poll') === 'visible' && document.visibilityState !== 'visible') {
			event.preventDefault();
		}
	});
	document.addEventListener('visibilitychange', function () {
		if (document.visibilityState === 'visible' && window.htmx) {
			document.querySelectorAll('[data-poll="visible"]').forEach(function (elt) {
				window.htmx.trigger(elt, 'poll-now');
			});
		}
	});

	// charts: each figure carries its series as JSON; the table next to it holds the same figures
	function draw(figure) {
		if (!window.uPlot) {
			return;
		}
		var data = JSON.parse(figure.getAttribute('data-chart'));
		if (!data.x || data.x.length === 0) {
			return;
		}
		var colours = ['#1f5fbf', '#1b7a3d', '#8a5a00', '#a4262c', '#5b3f9e', '#555d6b'];
		var series = [{}];
		var values = [data.x];
		data.series.forEach(function (s, i) {
			series.push({ label: s.label, stroke: colours[i % colours.length], width: 2 });
			values.push(s.values);
		});
		var holder = figure.querySelector('.chart');
		new window.uPlot({
			width: Math.max(320, holder.clientWidth || 640),
			height: 260,
			series: series,
			axes: [{}, { label: data.unit || '' }]
		}, values, holder);
	}
	document.querySelectorAll('figure[data-chart]').forEach(draw);
})();
