package org.ccm.core;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;

import org.jspecify.annotations.Nullable;

/**
 * The type of a declared customer attribute. Values travel as JSON: dates as ISO-8601
 * strings.
 */
enum AttributeType {

	STRING, NUMBER, BOOLEAN, DATE;

	/**
	 * Whether a value read from JSON has this type.
	 */
	public boolean accepts(Object value) {
		return switch (this) {
			case STRING -> value instanceof String;
			case NUMBER -> value instanceof Number;
			case BOOLEAN -> value instanceof Boolean;
			case DATE -> value instanceof String text && isDate(text);
		};
	}

	/**
	 * The value written as text (a query parameter, a CSV cell) read as this type, or
	 * null when it cannot be.
	 */
	public @Nullable Object read(String text) {
		String value = text.strip();
		return switch (this) {
			case STRING -> text;
			case NUMBER -> {
				try {
					yield new BigDecimal(value);
				}
				catch (NumberFormatException ex) {
					yield null;
				}
			}
			case BOOLEAN ->
				value.equalsIgnoreCase("true") ? Boolean.TRUE : value.equalsIgnoreCase("false") ? Boolean.FALSE : null;
			case DATE -> isDate(value) ? value : null;
		};
	}

	private static boolean isDate(String text) {
		try {
			LocalDate.parse(text);
			return true;
		}
		catch (DateTimeParseException ex) {
			return false;
		}
	}

}
