package org.ccm.core.web;

/**
 * One field-level problem in a problem-detail answer.
 */
public record FieldProblem(String field, String message) {

}
