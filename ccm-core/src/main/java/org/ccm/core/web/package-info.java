/**
 * The problem-detail answers every module's REST API shares
 * ({@link org.ccm.core.web.ApiProblems}, {@link org.ccm.core.web.FieldProblem}).
 */
@NamedInterface("web")
@NullMarked
package org.ccm.core.web;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.NamedInterface;
