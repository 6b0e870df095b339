// kernels/multi.hpp: the fine-tuning game with n specialists, fixed and linear costs, general revenue.
//
// 1. What: Section 5 and Appendix 10 of arXiv:2308.04399v3, in the general model of issue 3.
//    G pays phi0 = c0 alpha0^k0. Specialist i, if it takes part, pays
//      phi_i = f_i + m_i (alpha_i - alpha0) + c_i (alpha_i - alpha0)^k_i,   alpha_i >= alpha0,
//    earns (1 - delta) r_i(alpha_i) with r_i(a) = s_i a^b_i, and G earns delta r_i(alpha_i) from it
//    (eqs. 7-8; one delta for all: G cannot price-discriminate). A specialist whose best utility is
//    below its disagreement payoff d_i abstains (utility d_i, nothing for G); a tie takes part.
//    Specialists come in classes of `count` identical specialists, so n = sum of counts can be large
//    at the cost of one class.
//    Subgame-perfect play at a fixed delta (multi_spe): each specialist best-responds to alpha0
//    (Definitions 5.1-5.3 name its regime); G chooses alpha0 knowing who will take part. Taking part
//    pays more as alpha0 grows, so specialist i takes part exactly when alpha0 >= theta_i (its
//    participation threshold), G's utility is smooth between thresholds and jumps up at each one,
//    and G's global optimum is the best of: each threshold (G raises alpha0 exactly to bring a
//    specialist in) and the stationary point of each piece. Ties between candidates go to the
//    larger alpha0 (more participation).
// 2. Preconditions (validate): c0 > 0, k0 > 1; per class c > 0, k > 1, f >= 0, m >= 0, s > 0,
//    0 < b <= 1, count >= 1; 1 <= classes <= max_classes; all finite; delta in [0, 1]. Otherwise
//    invalid_params.
// 3. Method: for b = 1 everything is closed form: the best response gap
//    t = (((1-delta) s - m) / (k c))^(1/(k-1)) (0 when (1-delta) s <= m: a free-rider), the
//    threshold theta = (d - V) / ((1-delta) s) where V is the best utility at alpha0 = 0, and G's
//    stationary point on a piece with revenue weight W = sum of count*s over the participants,
//    (delta W / (k0 c0))^(1/(k0-1)) (Theorem 10.1 when everyone takes part). For b < 1 the best
//    response (a concave problem) and the threshold are TOMS 748 roots and G's piece optimum is
//    Brent's minimiser after a coarse scan. multi_spe_closed_form() is Theorem 10.1 / Corollary
//    10.1 (f = m = 0, s = b = 1, everyone taking part), no_closed_form otherwise.
//    With one class of one specialist and the paper's defaults the numbers are bit-for-bit those
//    of spe() (kernels/spe.hpp): the same operations in the same order.
// 4. Pure, reentrant, no allocation (fixed capacity max_classes).
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "params.hpp"

namespace ftg {

/// One class of identical specialists (Section 5 symbols with issue 3's general costs/revenue).
struct specialist {
  double c = 1.0;  ///< power cost scale, c_i (> 0)
  double k = 2.0;  ///< power cost exponent, k_i (> 1)
  double f = 0.0;  ///< fixed cost when taking part (>= 0)
  double m = 0.0;  ///< linear marginal cost of investment (>= 0)
  double s = 1.0;  ///< revenue scale, r_i(a) = s a^b (> 0)
  double b = 1.0;  ///< revenue exponent (0 < b <= 1)
  double d = 0.0;  ///< disagreement payoff
  int count = 1;   ///< identical specialists in this class (>= 1)
};

struct multi_game {
  static constexpr int max_classes = 32;
  double c0 = 1.0;  ///< G's cost scale
  double k0 = 2.0;  ///< G's cost exponent
  double d0 = 0.0;  ///< G's disagreement payoff
  int classes = 1;  ///< number of specialist classes in use
  std::array<specialist, max_classes> sp{};
  int n() const noexcept;  ///< total number of specialists, sum of counts
};

/// Definitions 5.1-5.3.
enum class regime : std::uint8_t { contributor = 0, free_rider, abstainer };

constexpr std::string_view to_string(regime r) noexcept {
  switch (r) {
    case regime::contributor: return "contributor";
    case regime::free_rider: return "free_rider";
    case regime::abstainer: return "abstainer";
  }
  return "unknown";
}

/// A specialist's best response to (alpha0, delta).
struct response {
  double alpha = 0.0;  ///< alpha_i (= alpha0 for a free-rider; 0 for an abstainer: no product)
  double u = 0.0;      ///< its utility (d for an abstainer)
  regime reg = regime::contributor;
  cell_status status = cell_status::ok;
};

/// Subgame-perfect outcome at one delta. Per class: the outcome of each of its identical members.
struct multi_spe_result {
  double delta = 0.0;
  double alpha0 = 0.0;
  double u_g = 0.0;  ///< G's utility (eq. 7, participants only)
  int classes = 0;
  std::array<response, multi_game::max_classes> sp{};
  double total_performance = 0.0;  ///< sum over participating specialists of alpha_i
  cell_status status = cell_status::ok;
};

cell_status validate(const multi_game& game) noexcept;

/// Best response of one specialist of class `sp` to (alpha0, delta); alpha0 >= 0.
response best_response(const specialist& sp, double alpha0, double delta,
                       const solver_options& opts = {}) noexcept;

/// The smallest alpha0 >= 0 at which the specialist takes part (+inf if never).
double participation_threshold(const specialist& sp, double delta, const solver_options& opts,
                               cell_status& status) noexcept;

multi_spe_result multi_spe(const multi_game& game, double delta, const solver_options& opts = {}) noexcept;
multi_spe_result multi_spe_closed_form(const multi_game& game, double delta) noexcept;

/// Theorem 5.2 / Table 2 for one specialist at (alpha0, delta): the two marginal conditions, the
/// regime the table predicts (`indeterminate` is the table's case (*)), and the exact regime from
/// the best response, which resolves (*). The conditions compare with 0, as the theorem does; the
/// exact regime uses the specialist's own d.
enum class table2_prediction : std::uint8_t { contributor = 0, free_rider, abstainer, indeterminate };
constexpr std::string_view to_string(table2_prediction p) noexcept {
  switch (p) {
    case table2_prediction::contributor: return "contributor";
    case table2_prediction::free_rider: return "free_rider";
    case table2_prediction::abstainer: return "abstainer";
    case table2_prediction::indeterminate: return "contributor_or_abstainer";
  }
  return "unknown";
}
struct regime_analysis {
  bool fixed_costs_under_control = false;  ///< r(alpha0) > phi(alpha0) / (1 - delta)
  bool marginally_profitable = false;      ///< r'(alpha0) > phi'(alpha0) / (1 - delta)
  table2_prediction predicted = table2_prediction::indeterminate;
  regime exact = regime::abstainer;
  cell_status status = cell_status::ok;
};
regime_analysis analyse_regime(const specialist& sp, double alpha0, double delta,
                               const solver_options& opts = {}) noexcept;

/// Theorem 4.1 (Section 4, Appendix 9.1) for a game with one specialist (one class, count 1):
/// Condition 1, r'(0) > lambda0 phi0'(0), and Condition 2, r'(alpha0) > lambda1 phi1'(alpha0)
/// (phi1' at zero investment is m), for some lambda >= 2, i.e. with lambda = 2; alpha0 is G's
/// equilibrium investment at delta = 1/2, the point Lemmas 4.1-4.2 use. The theorem also assumes
/// phi1(alpha1 = alpha0) = 0 (Section 2), i.e. f = 0: `premises` is Conditions 1 and 2 and f = 0.
/// The conclusion is checked directly: some delta in (0, 1) with alpha0 > 0, alpha1 > alpha0 (no
/// free-riding, Definition 4.1), UG > d0 and UD > d1. delta = 1/2 is tried first (Corollary 4.1),
/// then a grid of 1023 interior points; `delta` is the first that works (NaN if none).
struct theorem41_analysis {
  bool condition1 = false;
  bool condition2 = false;
  bool no_fixed_cost = false;
  bool premises = false;
  bool agreement_exists = false;  ///< the conclusion (A)-(C)
  double delta = 0.0;             ///< a delta satisfying (A)-(C), NaN if none
  double lambda0 = 0.0;           ///< r'(0) / phi0'(0): the largest lambda0 for Condition 1
  double lambda1 = 0.0;           ///< r'(alpha0) / phi1'(alpha0): the largest lambda1
  cell_status status = cell_status::ok;
};
theorem41_analysis analyse_theorem41(const multi_game& game, const solver_options& opts = {}) noexcept;

}  // namespace ftg
