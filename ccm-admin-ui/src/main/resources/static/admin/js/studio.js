/*
 * The template studio in the browser: rich-text editing of blocks (Squire), inserting
 * fields, the CSRF header for htmx requests, focus on the error summary, and the guard
 * against leaving with unsaved changes. Everything also works as a plain form without it.
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

	// GOV.UK pattern: the summary takes focus, its links focus the field they name
	function focusField(id) {
		var field = document.getElementById(id);
		if (!field) {
			return false;
		}
		var editor = document.getElementById(id + '-editor');
		(field.hidden && editor ? editor : field).focus();
		return true;
	}
	document.addEventListener('click', function (event) {
		var link = event.target.closest('.error-summary a, .autosave-problems a');
		if (link && link.hash && focusField(link.hash.substring(1))) {
			event.preventDefault();
		}
	});
	var summary = document.querySelector('.error-summary');
	if (summary) {
		summary.focus();
	}

	var form = document.getElementById('draft-form');
	if (!form) {
		return;
	}

	// unsaved changes: counted, so an autosave that started before the last edit does
	// not clear the guard
	var edits = 0;
	var savedEdits = 0;
	var sentEdits = 0;
	var lastTarget = null;
	form.addEventListener('input', function () {
		edits++;
	});
	form.addEventListener('submit', function () {
		savedEdits = edits;
	});
	document.body.addEventListener('htmx:beforeRequest', function (event) {
		if (event.detail.elt === form) {
			sentEdits = edits;
		}
	});
	document.body.addEventListener('draft-saved', function () {
		savedEdits = sentEdits;
	});
	window.addEventListener('beforeunload', function (event) {
		if (edits !== savedEdits) {
			event.preventDefault();
			event.returnValue = '';
		}
	});

	// the visible words are the buttons' names, for speech input as much as for screen readers
	function button(label, action) {
		var b = document.createElement('button');
		b.type = 'button';
		b.className = 'tool';
		b.textContent = label;
		b.addEventListener('click', action);
		return b;
	}

	function setBlock(editor, tag) {
		editor.modifyBlocks(function (fragment) {
			Array.prototype.slice.call(fragment.childNodes).forEach(function (node) {
				if (node.nodeType !== 1 || !/^(P|DIV|H2|H3)$/.test(node.nodeName)) {
					return;
				}
				var wanted = (node.nodeName === tag) ? 'P' : tag;
				var replacement = document.createElement(wanted);
				while (node.firstChild) {
					replacement.appendChild(node.firstChild);
				}
				fragment.replaceChild(replacement, node);
			});
			return fragment;
		});
	}

	function richEditor(textarea) {
		if (!window.Squire) {
			return;
		}
		var wrapper = document.createElement('div');
		wrapper.className = 'rich';
		var area = document.createElement('div');
		area.className = 'rich-area';
		area.id = textarea.id + '-editor';
		area.setAttribute('role', 'textbox');
		area.setAttribute('aria-multiline', 'true');
		area.setAttribute('aria-labelledby', textarea.id + '-label');
		if (textarea.getAttribute('aria-describedby')) {
			area.setAttribute('aria-describedby', textarea.getAttribute('aria-describedby'));
		}
		if (textarea.classList.contains('invalid')) {
			area.classList.add('invalid');
		}
		var editor = new window.Squire(area, { blockTag: 'P' });
		var toolbar = document.createElement('div');
		toolbar.className = 'toolbar';
		toolbar.setAttribute('role', 'toolbar');
		toolbar.setAttribute('aria-label', 'Formatting');
		toolbar.setAttribute('aria-controls', area.id);
		toolbar.appendChild(button('Heading', function () { setBlock(editor, 'H2'); }));
		toolbar.appendChild(button('Subheading', function () { setBlock(editor, 'H3'); }));
		toolbar.appendChild(button('Bold', function () {
			editor.hasFormat('B') || editor.hasFormat('STRONG') ? editor.removeBold() : editor.bold();
		}));
		toolbar.appendChild(button('Italic', function () {
			editor.hasFormat('I') || editor.hasFormat('EM') ? editor.removeItalic() : editor.italic();
		}));
		toolbar.appendChild(button('Bulleted list', function () {
			editor.hasFormat('UL') ? editor.removeList() : editor.makeUnorderedList();
		}));
		toolbar.appendChild(button('Numbered list', function () {
			editor.hasFormat('OL') ? editor.removeList() : editor.makeOrderedList();
		}));
		toolbar.appendChild(button('Link', function () {
			var url = window.prompt('Link address (https://, mailto: or tel:)', 'https://');
			if (url && /^(https?:|mailto:|tel:|\{\{)/.test(url)) {
				editor.makeLink(url);
			}
		}));
		toolbar.appendChild(button('Remove link', function () { editor.removeLink(); }));
		wrapper.appendChild(toolbar);
		wrapper.appendChild(area);
		textarea.parentNode.insertBefore(wrapper, textarea);
		editor.setHTML(textarea.value);
		textarea.hidden = true;
		editor.addEventListener('input', function () {
			textarea.value = editor.getHTML();
			textarea.dispatchEvent(new Event('input', { bubbles: true }));
		});
		area.addEventListener('focus', function () {
			lastTarget = { editor: editor };
		});
	}
	Array.prototype.forEach.call(form.querySelectorAll('textarea[data-rich]'), richEditor);

	form.addEventListener('focusin', function (event) {
		if (event.target.matches('input[data-placeholder-target], textarea[data-placeholder-target]')) {
			lastTarget = { field: event.target };
		}
	});

	var insert = document.getElementById('insert-placeholder');
	var select = document.getElementById('placeholder');
	if (insert && select) {
		insert.hidden = false;
		// keep the last field when the select or the button takes focus
		insert.addEventListener('click', function () {
			var text = '{{' + select.value + '}}';
			if (lastTarget && lastTarget.editor) {
				lastTarget.editor.insertPlainText(text);
				lastTarget.editor.focus();
			}
			else if (lastTarget && lastTarget.field) {
				var field = lastTarget.field;
				var start = field.selectionStart;
				field.setRangeText(text, start, field.selectionEnd, 'end');
				field.focus();
				field.dispatchEvent(new Event('input', { bubbles: true }));
			}
		});
	}
})();
