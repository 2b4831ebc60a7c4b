// Administrators' pages: copy a secret shown once, confirm revocations, focus the error summary.
document.addEventListener('DOMContentLoaded', () => {
	document.querySelectorAll('[data-copy]').forEach((button) => {
		button.addEventListener('click', async () => {
			const field = document.getElementById(button.dataset.copy);
			const message = document.querySelector('[data-copied-message]');
			try {
				await navigator.clipboard.writeText(field.value);
				if (message) message.textContent = 'Copied to the clipboard.';
			} catch (e) {
				field.select();
				if (message) message.textContent = 'Selected: press Ctrl+C (or Cmd+C) to copy.';
			}
		});
	});
	document.querySelectorAll('form[data-confirm]').forEach((form) => {
		form.addEventListener('submit', (event) => {
			if (!window.confirm(form.dataset.confirm)) event.preventDefault();
		});
	});
	const summary = document.querySelector('.error-summary');
	if (summary) summary.focus();
});
