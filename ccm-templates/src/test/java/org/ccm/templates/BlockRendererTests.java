package org.ccm.templates;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Blocks without any tag are sanitised once and given to every customer alike; blocks
 * with tags are rendered and sanitised for each.
 */
class BlockRendererTests {

	private final BlockRenderer blocks = new BlockRenderer();

	@Test
	void aBlockWithoutTagsIsSanitisedAsOneWithTagsWouldBe() {
		String fixed = "<p onclick=\"steal()\">Terms apply.<script>alert(1)</script> <a href=\"javascript:x()\">x</a></p>";
		String first = this.blocks.html(fixed, Map.of("name", "Ada"));
		String again = this.blocks.html(fixed, Map.of("name", "Grace"));

		assertThat(first).isEqualTo(again)
			.isEqualTo(BlockRenderer.POLICY.sanitize(fixed))
			.contains("Terms apply.")
			.doesNotContain("script", "onclick", "javascript");
	}

	@Test
	void aBlockWithTagsIsRenderedForEachCustomer() {
		String personal = "<p>Hello {{name}}<script>alert(1)</script></p>";

		assertThat(this.blocks.html(personal, Map.of("name", "Ada"))).isEqualTo("<p>Hello Ada</p>");
		assertThat(this.blocks.html(personal, Map.of("name", "<b>Grace</b>")))
			.isEqualTo("<p>Hello &lt;b&gt;Grace&lt;/b&gt;</p>");
	}

}
