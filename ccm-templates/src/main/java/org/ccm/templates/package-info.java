/**
 * Versioned templates, their review and approval, and composition of personalised
 * documents for every channel.
 */
@NullMarked
package org.ccm.templates;

import org.jspecify.annotations.NullMarked;
