package org.ccm.templates;

import java.util.List;

import org.ccm.core.problems.FieldProblem;
import org.ccm.core.problems.ProblemException;
import org.ccm.core.problems.ProblemType;

/**
 * Thrown when no published template has the key asked for. A request naming such a
 * template (a send, a preview) is unprocessable, whichever API received it.
 */
public class UnknownTemplateException extends ProblemException {

	private final String templateKey;

	public UnknownTemplateException(String templateKey) {
		super(ProblemType.UNPROCESSABLE, "no published template '" + templateKey + "'",
				List.of(new FieldProblem("template", "no published template '" + templateKey + "'")));
		this.templateKey = templateKey;
	}

	public String templateKey() {
		return templateKey;
	}

}
