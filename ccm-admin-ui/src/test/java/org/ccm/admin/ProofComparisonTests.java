package org.ccm.admin;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProofComparisonTests {

	@Test
	void touchingChangedCellsMakeOneAreaAndSeparateOnesTheirOwn() {
		boolean[][] changed = { { true, true, false, false, false }, { false, true, false, false, false },
				{ false, false, true, false, false }, { false, false, false, false, true } };
		List<int[]> areas = ProofComparison.areas(changed);
		assertThat(areas).hasSize(2);
		assertThat(areas.get(0)).containsExactly(0, 0, 2, 2);
		assertThat(areas.get(1)).containsExactly(4, 3, 4, 3);
		assertThat(ProofComparison.areas(new boolean[3][3])).isEmpty();
	}

}
