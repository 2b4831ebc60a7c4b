package org.ccm.templates;

/**
 * One problem with a send's data, named by its JSON pointer (for instance
 * {@code /lines/0/quantity}).
 */
public record DataViolation(String field, String message) {

	/**
	 * The field as the API names fields: {@code /lines/0/quantity} becomes
	 * {@code data.lines[0].quantity}.
	 */
	public String path() {
		if (field.isEmpty() || field.equals("data") || field.startsWith("data.") || field.startsWith("data[")) {
			return field.isEmpty() ? "data" : field;
		}
		if (!field.startsWith("/")) {
			return "data." + field;
		}
		StringBuilder path = new StringBuilder("data");
		for (String part : field.split("/")) {
			if (part.isEmpty()) {
				continue;
			}
			String name = part.replace("~1", "/").replace("~0", "~");
			if (name.chars().allMatch(Character::isDigit)) {
				path.append('[').append(name).append(']');
			}
			else {
				path.append('.').append(name);
			}
		}
		return path.toString();
	}

}
