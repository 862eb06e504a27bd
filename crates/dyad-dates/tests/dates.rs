//! Behaviour tests for `find_dates`: every supported form, the negatives, byte
//! offsets, the attributive flag, and anchored vs. unanchored resolution.
//!
//! Each `case!` is its own test; it lists the expected mentions as
//! `(surface text, ISO date)` pairs, so offsets are checked on every case.

use chrono::NaiveDate;
use dyad_dates::{find_dates, DateMention, DatePrecision, ResolvedDate};

/// The anchor used for relative cases: Wednesday, 20 September 2023.
fn wed() -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(2023, 9, 20)
}

fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

fn surface_iso(text: &str, anchor: Option<NaiveDate>) -> Vec<(String, String)> {
    find_dates(text, anchor)
        .into_iter()
        .map(|m| (text[m.start..m.end].to_string(), m.date.iso().unwrap_or_default()))
        .collect()
}

fn only(text: &str, anchor: Option<NaiveDate>) -> DateMention {
    let v = find_dates(text, anchor);
    assert_eq!(v.len(), 1, "{text:?}: {v:?}");
    v.into_iter().next().unwrap()
}

macro_rules! case {
    ($name:ident, $text:expr, $anchor:expr, [$(($surf:expr, $iso:expr)),* $(,)?]) => {
        #[test]
        fn $name() {
            let got = surface_iso($text, $anchor);
            let want: Vec<(String, String)> = vec![$(($surf.to_string(), $iso.to_string())),*];
            assert_eq!(got, want, "text: {:?}", $text);
        }
    };
}

// ---- explicit day-month-year --------------------------------------------------------

case!(month_day_comma_year, "The talks began on June 15, 2021 in Geneva.", None, [("June 15, 2021", "2021-06-15")]);
case!(day_month_year, "Protests erupted on 15 June 2021.", None, [("15 June 2021", "2021-06-15")]);
case!(ordinal_no_comma, "It happened June 15th 2021, officials said.", None, [("June 15th 2021", "2021-06-15")]);
case!(ordinal_comma, "Signed on June 1st, 2021.", None, [("June 1st, 2021", "2021-06-01")]);
case!(day_of_month_year, "on the 5th of May 2021 they met", None, [("the 5th of May 2021", "2021-05-05")]);
case!(november_10, "the ceasefire of November 10, 2020 held", None, [("November 10, 2020", "2020-11-10")]);
case!(lowercase_month, "on june 15, 2021 the vote took place", None, [("june 15, 2021", "2021-06-15")]);
case!(upper_month, "ON JUNE 15, 2021 THE VOTE TOOK PLACE", None, [("JUNE 15, 2021", "2021-06-15")]);
case!(sept_dot, "Sept. 27, 2020 marked the start of the war.", None, [("Sept. 27, 2020", "2020-09-27")]);
case!(sep_abbr, "On Sep 27 2020 fighting began.", None, [("Sep 27 2020", "2020-09-27")]);
case!(jan_dot_year, "Jan. 2021 saw new talks.", None, [("Jan. 2021", "2021-01")]);
case!(nbsp, "on June\u{a0}15,\u{a0}2021 in Baku", None, [("June\u{a0}15,\u{a0}2021", "2021-06-15")]);
case!(day_month_comma_year, "on 15 June, 2021 in Baku", None, [("15 June, 2021", "2021-06-15")]);
case!(may_with_day_year, "On May 3, 2023 the army advanced.", None, [("May 3, 2023", "2023-05-03")]);
case!(march_with_day_year, "On 6 March 2022 the talks ended.", None, [("6 March 2022", "2022-03-06")]);
case!(august_with_year, "In August 2008 war broke out.", None, [("August 2008", "2008-08")]);
case!(weekday_prefix_ignored, "Monday, June 15, 2021: talks resume.", wed(), [("June 15, 2021", "2021-06-15")]);

// ---- numeric ------------------------------------------------------------------------

case!(dotted, "Decision of 15.06.2021 was annulled.", None, [("15.06.2021", "2021-06-15")]);
case!(slashed_day_first, "Signed 05/06/2021 in Moscow.", None, [("05/06/2021", "2021-06-05")]);
case!(slashed_day_first_unambiguous, "Signed 15/06/2021 in Moscow.", None, [("15/06/2021", "2021-06-15")]);
case!(slashed_us, "Signed 06/15/2021 in Washington.", None, [("06/15/2021", "2021-06-15")]);
case!(iso, "Report dated 2021-06-15.", None, [("2021-06-15", "2021-06-15")]);
case!(iso_slash, "Report dated 2021/06/15.", None, [("2021/06/15", "2021-06-15")]);
case!(dashed_day_first, "On 15-06-2021 troops moved.", None, [("15-06-2021", "2021-06-15")]);

// ---- day-month without year ---------------------------------------------------------

case!(on_2nd_october, "Talks resumed on 2nd October.", None, [("2nd October", "--10-02")]);
case!(ninth_october, "9th October was quiet.", None, [("9th October", "--10-09")]);
case!(october_2_unanchored, "On October 2 the shelling stopped.", None, [("October 2", "--10-02")]);
case!(october_2_anchored, "On October 2 the shelling stopped.", date(2023, 10, 5), [("October 2", "2023-10-02")]);
case!(october_2_anchor_before, "On October 2 the shelling stopped.", date(2023, 3, 5), [("October 2", "2022-10-02")]);
case!(on_march_6, "on March 6 the convoy left", None, [("March 6", "--03-06")]);
case!(on_may_3_capital, "On May 3 the convoy left", None, [("May 3", "--05-03")]);
case!(april_1, "April 1 was chosen.", date(2024, 4, 2), [("April 1", "2024-04-01")]);
case!(anchor_week_slack, "Elections are set for September 24.", wed(), [("September 24", "2023-09-24")]);
case!(anchor_beyond_slack, "It happened on September 30.", wed(), [("September 30", "2022-09-30")]);

// ---- month-year and years -----------------------------------------------------------

case!(june_2021, "In June 2021 the parliament voted.", None, [("June 2021", "2021-06")]);
case!(in_may_2023, "Clashes resumed in May 2023.", None, [("May 2023", "2023-05")]);
case!(may_2023_initial, "May 2023 was violent.", None, [("May 2023", "2023-05")]);
case!(may_of_year, "in May of 2023 they met", None, [("May of 2023", "2023-05")]);
case!(in_late_2023, "Refugees returned in late 2023.", None, [("late 2023", "2023")]);
case!(early_2024, "Talks are planned for early 2024.", None, [("early 2024", "2024")]);
case!(mid_2022, "By mid-2022 the front was quiet.", None, [("mid-2022", "2022")]);
case!(mid_space_2022, "By mid 2022 the front was quiet.", None, [("mid 2022", "2022")]);
case!(late_may_2023, "in late May 2023 the talks failed", None, [("late May 2023", "2023-05")]);
case!(in_2020, "The war ended in 2020.", None, [("2020", "2020")]);
case!(since_2022, "The border has been closed since 2022.", None, [("2022", "2022")]);
case!(the_fall_of_2021, "By the fall of 2021 talks stalled.", None, [("the fall of 2021", "2021")]);
case!(autumn_2021, "In autumn 2021 talks stalled.", None, [("autumn 2021", "2021")]);
case!(spring_of_2024, "A deal is expected in the spring of 2024.", None, [("the spring of 2024", "2024")]);
case!(from_to, "He ruled from 1999 to 2008.", None, [("1999", "1999"), ("2008", "2008")]);
case!(between_and, "between 2019 and 2021 trade doubled", None, [("2019", "2019"), ("2021", "2021")]);
case!(range_full, "The 2021-2022 season was cancelled.", None, [("2021-2022", "2021")]);
case!(range_en_dash, "The 2021–2022 talks failed.", None, [("2021–2022", "2021")]);
case!(range_short, "in the 2019-20 budget", None, [("2019-20", "2019")]);
case!(winter_range, "during winter 2021-2022 gas ran short", None, [("winter 2021-2022", "2021")]);
case!(year_1900, "founded in 1900", None, [("1900", "1900")]);
case!(year_2100, "plans until 2100", None, [("2100", "2100")]);
case!(end_of_year, "by the end of 2021 the troops left", None, [("2021", "2021")]);
case!(in_june_anchored, "The talks, held in June, failed.", date(2023, 8, 1), [("June", "2023-06")]);
case!(in_june_anchor_earlier, "The talks, held in June, failed.", date(2023, 3, 1), [("June", "2022-06")]);

// ---- relative -----------------------------------------------------------------------

case!(today, "The minister said today that talks continue.", wed(), [("today", "2023-09-20")]);
case!(yesterday, "Shelling resumed yesterday.", wed(), [("yesterday", "2023-09-19")]);
case!(tomorrow, "Talks resume tomorrow.", wed(), [("tomorrow", "2023-09-21")]);
case!(day_before_yesterday, "It began the day before yesterday.", wed(), [("the day before yesterday", "2023-09-18")]);
case!(on_monday, "On Monday Azerbaijan launched an operation.", wed(), [("Monday", "2023-09-18")]);
case!(bare_weekday_same_day, "Azerbaijan said Wednesday it would talk.", wed(), [("Wednesday", "2023-09-20")]);
case!(last_monday, "Last Monday the border closed.", wed(), [("Last Monday", "2023-09-18")]);
case!(last_wednesday, "last Wednesday the border closed", wed(), [("last Wednesday", "2023-09-13")]);
case!(last_week, "Talks collapsed last week.", wed(), [("last week", "2023-09-11")]);
case!(this_week, "Talks collapsed this week.", wed(), [("this week", "2023-09-18")]);
case!(last_month, "Talks collapsed last month.", wed(), [("last month", "2023-08")]);
case!(this_month, "Talks collapsed this month.", wed(), [("this month", "2023-09")]);
case!(last_year, "Talks collapsed last year.", wed(), [("last year", "2022")]);
case!(this_year, "Talks collapsed this year.", wed(), [("this year", "2023")]);
case!(next_year, "Elections are due next year.", wed(), [("next year", "2024")]);
case!(two_days_ago, "He arrived two days ago.", wed(), [("two days ago", "2023-09-18")]);
case!(digits_days_ago, "He arrived 3 days ago.", wed(), [("3 days ago", "2023-09-17")]);
case!(a_week_ago, "He arrived a week ago.", wed(), [("a week ago", "2023-09-13")]);
case!(two_weeks_ago, "He arrived two weeks ago.", wed(), [("two weeks ago", "2023-09-06")]);
case!(a_month_ago, "He arrived a month ago.", wed(), [("a month ago", "2023-08")]);
case!(three_years_ago, "He arrived three years ago.", wed(), [("three years ago", "2020")]);
case!(twelve_months_ago, "twelve months ago he left", wed(), [("twelve months ago", "2022-09")]);
case!(earlier_this_month, "Clashes broke out earlier this month.", wed(), [("earlier this month", "2023-09")]);
case!(earlier_this_year, "Clashes broke out earlier this year.", wed(), [("earlier this year", "2023")]);
case!(in_two_weeks, "A summit will be held in two weeks.", wed(), [("in two weeks", "2023-10-04")]);
case!(this_morning, "Explosions were heard this morning.", wed(), [("this morning", "2023-09-20")]);
case!(relative_needs_anchor, "Shelling resumed yesterday and last week, two days ago.", None, []);
case!(
    mixed_sentence,
    "After the 2020 war, talks resumed on Monday, two weeks ago.",
    wed(),
    [("2020", "2020"), ("Monday", "2023-09-18"), ("two weeks ago", "2023-09-06")]
);

// ---- negatives ----------------------------------------------------------------------

case!(neg_44_day_war, "the 44-day war ended", wed(), []);
case!(neg_7th_summit, "at the 7th summit of the organisation", None, []);
case!(neg_12th_century, "a 12th century church", None, []);
case!(neg_dollars, "a loan of $45 million", None, []);
case!(neg_dollar_year, "a budget of $2020 million", None, []);
case!(neg_euro_year, "a fine of €2020", None, []);
case!(neg_million_brothers, "10 million brothers", None, []);
case!(neg_soldiers, "2000 soldiers were deployed", None, []);
case!(neg_people, "1950 people were evacuated", None, []);
case!(neg_percent, "inflation reached 2020% or 1999 %", None, []);
case!(neg_phone, "Call +994 12 555 2020 or (012) 498-2020.", None, []);
case!(neg_covid, "COVID-19 restrictions and the G20 summit", None, []);
case!(neg_f16, "F-16 jets and Su-25 planes", None, []);
case!(neg_thousand, "1,000 troops and 2,020 tanks", None, []);
case!(neg_number_abbr, "Resolution No. 2021 was adopted", None, []);
case!(neg_decade, "in the late 1990s and the 2020s", None, []);
case!(neg_may_modal, "Azerbaijan may soon reopen the road; it may be 5 km long.", None, []);
case!(neg_may_modal_anchor, "Azerbaijan may soon reopen the road.", wed(), []);
case!(neg_lowercase_may_number, "it may 2 be", None, []);
case!(neg_march_verb, "Protesters will march 5 km to the square.", None, []);
case!(neg_august_adjective, "an august body of 12 judges", None, []);
case!(neg_fall_verb, "prices fall 20 percent", None, []);
case!(neg_out_of_range, "a population of 1850 and 2150", None, []);
case!(neg_some_count, "some 2000 were killed", None, []);
case!(neg_ip, "server 10.15.2020.1 went down", None, []);
case!(neg_version, "version 2.5 and 3.10", None, []);
case!(neg_glued, "the 2000km border and unit A2020", None, []);
case!(neg_bare_month_unanchored, "The talks, held in June, failed.", None, []);
case!(neg_the_last_week, "over the last week fighting raged", wed(), []);
case!(neg_in_days_of, "in two days of talks nothing changed", wed(), []);
case!(neg_no_digits, "Nothing here mentions a date at all.", wed(), []);
case!(neg_years_quantity, "2000 years of history", None, []);

case!(neg_resolution, "UN Security Council Resolution 1999 was cited.", None, []);
case!(neg_clock_time, "The strike came at 1930 GMT.", None, []);
case!(weekday_then_day_month, "On Monday, March 6 the talks began.", wed(), [("March 6", "2023-03-06")]);
case!(since_may_anchored, "Since May the road has been closed.", wed(), [("May", "2023-05")]);
case!(year_before_event_noun, "2020 elections were held", None, [("2020", "2020")]);

// ---- flags, offsets, precision ------------------------------------------------------

fn attributive(text: &str) -> Vec<(String, bool)> {
    find_dates(text, None).into_iter().map(|m| (text[m.start..m.end].to_string(), m.attributive)).collect()
}

#[test]
fn attributive_year_earthquake() {
    assert_eq!(attributive("Victims of the 2023 earthquake rallied."), [("2023".into(), true)]);
}

#[test]
fn attributive_month_year_attack() {
    assert_eq!(attributive("after the January 2023 terrorist attack"), [("January 2023".into(), true)]);
}

#[test]
fn attributive_day_month_capitalised_noun() {
    assert_eq!(attributive("condemned the April 1 Israeli attack"), [("April 1".into(), true)]);
}

#[test]
fn attributive_of_after_noun() {
    assert_eq!(
        attributive("under the trilateral agreement of November 10, 2020"),
        [("November 10, 2020".into(), true)]
    );
}

#[test]
fn attributive_possessive() {
    assert_eq!(attributive("Azerbaijan's 2020 offensive"), [("2020".into(), true)]);
    assert_eq!(attributive("Azerbaijan’s 2020 offensive"), [("2020".into(), true)]);
    assert_eq!(attributive("its 2022 report"), [("2022".into(), true)]);
}

#[test]
fn attributive_hyphenated_proper_noun() {
    assert_eq!(attributive("the 2020 Nagorno-Karabakh war"), [("2020".into(), true)]);
}

#[test]
fn not_attributive() {
    assert_eq!(attributive("The war ended in 2020."), [("2020".into(), false)]);
    assert_eq!(attributive("2020 elections were held"), [("2020".into(), false)]);
    assert_eq!(attributive("He said that 2020 was hard."), [("2020".into(), false)]);
    assert_eq!(attributive("by the end of 2021 the troops left"), [("2021".into(), false)]);
    assert_eq!(attributive("in the spring of 2024 talks"), [("the spring of 2024".into(), false)]);
    assert_eq!(attributive("On the 5th of May Azerbaijan said"), [("the 5th of May".into(), false)]);
}

#[test]
fn relative_flag() {
    let v = find_dates("On 15 June 2021, and yesterday.", wed());
    assert_eq!(v.len(), 2);
    assert!(!v[0].relative);
    assert!(v[1].relative);
    assert!(!v[1].attributive);
}

#[test]
fn offsets_with_multibyte_prefix() {
    let text = "Ərdoğan — «15 June 2021» – Ilham Əliyev met in 2022.";
    let v = find_dates(text, None);
    assert_eq!(v.len(), 2);
    assert_eq!(&text[v[0].start..v[0].end], "15 June 2021");
    assert_eq!(&text[v[1].start..v[1].end], "2022");
    assert_eq!(v[1].end, text.len() - 1);
}

#[test]
fn precisions() {
    assert_eq!(only("June 15, 2021", None).date.precision(), DatePrecision::Day);
    assert_eq!(only("on 2nd October", None).date.precision(), DatePrecision::Day);
    assert_eq!(only("May 2023", None).date.precision(), DatePrecision::Month);
    assert_eq!(only("in late 2023", None).date.precision(), DatePrecision::Year);
    assert_eq!(only("last month", wed()).date.precision(), DatePrecision::Month);
    assert_eq!(only("last week", wed()).date.precision(), DatePrecision::Day);
    assert_eq!(only("last year", wed()).date.precision(), DatePrecision::Year);
}

#[test]
fn unanchored_day_month_has_no_year() {
    let m = only("on 2nd October", None);
    assert_eq!(m.date, ResolvedDate { year: None, month: Some(10), day: Some(2) });
}

#[test]
fn anchored_resolution_changes_only_year() {
    let a = only("on 2nd October", None).date;
    let b = only("on 2nd October", date(2021, 12, 1)).date;
    assert_eq!((a.month, a.day), (b.month, b.day));
    assert_eq!(b.year, Some(2021));
}

#[test]
fn paragraph_multiple_in_order() {
    let text = "On 27 September 2020 war broke out. It ended on November 10, 2020, after 44 days. \
                In 2023 Azerbaijan took the rest; since 2024 talks continue.";
    let got = surface_iso(text, None);
    assert_eq!(
        got,
        vec![
            ("27 September 2020".to_string(), "2020-09-27".to_string()),
            ("November 10, 2020".to_string(), "2020-11-10".to_string()),
            ("2023".to_string(), "2023".to_string()),
            ("2024".to_string(), "2024".to_string()),
        ]
    );
    let v = find_dates(text, None);
    assert!(v.windows(2).all(|w| w[0].end <= w[1].start));
}

#[test]
fn empty_and_edge_inputs() {
    assert!(find_dates("", None).is_empty());
    assert!(find_dates("", wed()).is_empty());
    assert_eq!(surface_iso("2021", None), vec![("2021".to_string(), "2021".to_string())]);
    assert!(find_dates("June", wed()).is_empty());
    assert!(find_dates("99999999999999999999 days ago", wed()).is_empty());
    assert!(find_dates("15th", None).is_empty());
}

/// Throughput check; run with `cargo test -p dyad-dates --release -- --ignored --nocapture`.
#[test]
#[ignore]
fn throughput() {
    let sentences = [
        "Azerbaijan may soon reopen the Lachin corridor, the foreign ministry said in a statement.",
        "The two sides accused each other of violating the ceasefire along the border.",
        "On 27 September 2020 war broke out; it ended on November 10, 2020, after 44 days.",
        "Some 2000 soldiers and 1,500 police officers were deployed, costing $45 million.",
        "Talks resumed yesterday in Brussels, two weeks after the last round in late 2023.",
        "Erdoğan and Əliyev met in Ankara to discuss the Zangezur corridor and trade.",
    ];
    let mut text = String::new();
    while text.len() < 8 << 20 {
        for s in sentences {
            text.push_str(s);
            text.push('\n');
        }
    }
    let anchor = NaiveDate::from_ymd_opt(2024, 1, 20);
    let t = std::time::Instant::now();
    let mut n = 0;
    for line in text.lines() {
        n += find_dates(line, anchor).len();
    }
    let secs = t.elapsed().as_secs_f64();
    println!("{n} mentions, {:.1} MB/s", text.len() as f64 / secs / 1e6);
}
