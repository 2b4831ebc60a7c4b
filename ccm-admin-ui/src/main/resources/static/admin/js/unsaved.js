/*
 * The guard against leaving a form with unsaved changes, as in the template editor: the
 * browser asks before the page is left. A form opts in with data-unsaved-guard="true"; its
 * fields as first shown are what counts as saved, so a change undone is no change, and
 * rules added or removed by htmx count like typed ones. Submitting the form leaves
 * without asking; a form shown again after a refused save (data-unsaved="true") holds
 * changes that were not saved.
 */
(function () {
	'use strict';

	document.querySelectorAll('form[data-unsaved-guard="true"]').forEach(function (form) {
		function state() {
			return new URLSearchParams(new FormData(form)).toString();
		}
		var saved = (form.getAttribute('data-unsaved') === 'true') ? null : state();
		var submitting = false;
		form.addEventListener('submit', function () {
			submitting = true;
		});
		window.addEventListener('beforeunload', function (event) {
			if (!submitting && state() !== saved) {
				event.preventDefault();
				event.returnValue = '';
			}
		});
	});
})();
