package org.ccm.templates;

/**
 * One problem with a send's data, named by its JSON pointer (for instance
 * {@code /lines/0/quantity}).
 */
public record DataViolation(String field, String message) {

}
