package org.ccm.templates;

import org.ccm.core.Channel;

/**
 * Thrown when a template is composed for a channel it does not support. Retrying does not
 * help.
 */
public class UnsupportedChannelException extends RuntimeException {

	public UnsupportedChannelException(String templateKey, Channel channel) {
		super("template '" + templateKey + "' does not support " + channel);
	}

}
