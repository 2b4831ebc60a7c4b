package org.ccm.delivery;

import java.util.List;
import java.util.Map;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.ccm.core.Channel;
import org.ccm.core.Purpose;
import org.jspecify.annotations.Nullable;

/**
 * A back-office request to send one communication.
 *
 * @param customer the customer's external id
 * @param template the template key
 * @param channels channels to use instead of the customer's preferences, or null to
 * follow them
 */
public record SendRequest(@NotBlank @Size(max = 200) String customer, @NotBlank @Size(max = 200) String template,
		@NotNull Purpose purpose, @NotNull Map<String, Object> data,
		@Nullable @Size(min = 1, max = 4) List<@NotNull Channel> channels) {

}
