package org.ccm.core.problems;

/**
 * One field-level problem in a problem-detail answer: the field as a path into the
 * request ({@code data.lines[0].quantity}, a header or parameter name) and what is wrong
 * with it.
 */
public record FieldProblem(String field, String message) {

}
