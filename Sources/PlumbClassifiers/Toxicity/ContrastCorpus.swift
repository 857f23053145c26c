import Foundation
import PlumbCore

/// Plumb's own contrast corpus: generated sentences about groups that teach a toxicity classifier what the
/// identity term alone does not decide (after Dixon et al. 2018, who added non-toxic identity sentences to the
/// training data against unintended bias). Each frame is a sentence with slots — `{P}` a group in the plural, `{A}`
/// one member with its article, and word lists (insulting adjectives and nouns, verbs of hate and violence, fates,
/// praise, verdicts) — labelled by what the sentence does with the group:
///
/// - **toxic**: insults, contempt, dehumanisation, exclusion and threats aimed at the group;
/// - **not toxic**: praise, neutral mentions, negated hate, counter-speech (hate quoted or referenced to reject it),
///   swearing aimed at no one and in-group self-description.
///
/// The same insults and verbs fill the toxic frames and the frames that negate or reject them, so that only the
/// frame separates the labels. Written by the Plumb team for training; the functional tests'
/// (``FunctionalTests``) held-out templates were not used, and no sentence comes from a published set.
/// Generation is deterministic: ``sentences(perFrame:seed:)`` draws fillers with ``SplitMix64``.
public enum ContrastCorpus {
    /// A group: its plural and a singular with its article.
    public static let groups: [(plural: String, singular: String)] = [
        ("women", "a woman"), ("girls", "a girl"), ("trans people", "a trans person"), ("trans women", "a trans woman"),
        ("gay people", "a gay person"), ("gay men", "a gay man"), ("lesbians", "a lesbian"),
        ("bisexual people", "a bisexual person"), ("nonbinary people", "a nonbinary person"),
        ("black people", "a black person"), ("Black folks", "a Black man"), ("Africans", "an African"),
        ("Asians", "an Asian"), ("Chinese people", "a Chinese person"), ("Mexicans", "a Mexican"),
        ("Latinos", "a Latino"), ("Arabs", "an Arab"), ("Native Americans", "a Native American"),
        ("white people", "a white person"), ("Indians", "an Indian"), ("Pakistanis", "a Pakistani"),
        ("disabled people", "a disabled person"), ("wheelchair users", "a wheelchair user"),
        ("autistic people", "an autistic person"), ("deaf people", "a deaf person"), ("blind people", "a blind person"),
        ("Muslims", "a Muslim"), ("Jews", "a Jew"), ("Jewish people", "a Jewish person"), ("Christians", "a Christian"),
        ("Catholics", "a Catholic"), ("Hindus", "a Hindu"), ("Sikhs", "a Sikh"), ("atheists", "an atheist"),
        ("immigrants", "an immigrant"), ("migrants", "a migrant"), ("refugees", "a refugee"),
        ("asylum seekers", "an asylum seeker"), ("old people", "an old person"), ("elderly people", "an elderly man"),
        ("teenagers", "a teenager"), ("poor people", "a poor person"), ("Roma", "a Roma woman"),
        ("foreigners", "a foreigner"),
    ]

    static let insultAdjectives = [
        "disgusting", "filthy", "worthless", "inferior", "stupid", "evil", "dirty", "pathetic", "vile", "useless",
        "subhuman", "savage", "repulsive", "lazy", "dangerous", "sick", "retarded", "backward", "dumb", "nasty",
    ]
    static let insultNouns = [
        "vermin", "trash", "animals", "parasites", "scum", "savages", "cockroaches", "rats", "garbage", "a disease",
        "pigs", "freaks", "a plague", "criminals", "degenerates", "leeches",
    ]
    static let hateVerbs = ["hate", "despise", "loathe", "detest", "can't stand", "can't tolerate"]
    static let violentVerbs = [
        "kill", "hurt", "beat up", "shoot", "stab", "attack", "burn", "hang", "lynch", "punch", "gas", "run over",
    ]
    static let fates = [
        "be deported", "be locked up", "be wiped out", "be banned from this country", "disappear", "die",
        "go back where they came from", "be exterminated", "be sterilised", "be kept out of our schools",
        "lose the right to vote", "be thrown out", "not be allowed to work here", "be gassed",
    ]
    static let praise = [
        "wonderful", "kind", "brilliant", "welcome here", "valued members of our community", "talented", "strong",
        "beautiful", "smart", "hardworking", "amazing", "generous", "funny", "inspiring", "as capable as anyone",
        "part of what makes this country great",
    ]
    static let loveVerbs = ["love", "respect", "admire", "support", "appreciate", "stand with", "adore", "value"]
    static let verdicts = [
        "wrong", "hateful", "bigoted", "disgusting", "unacceptable", "cruel", "ignorant", "racist nonsense",
        "dehumanising", "shameful", "a lie", "not okay",
    ]
    static let expletives = [
        "Fuck", "Shit", "Damn", "Holy shit", "Fucking hell", "Goddamn it", "Crap", "Oh hell", "Bloody hell",
        "Ugh, fuck",
    ]
    static let mishaps = [
        "I burned the toast again", "the wifi is down", "that match was incredible", "I left my umbrella on the bus",
        "this traffic is insane", "my phone died", "I love this song", "the exam was hard",
        "we won the championship", "I overslept", "the cat knocked over my coffee", "this pizza is amazing",
        "my code finally compiles", "it's Monday already", "I stubbed my toe",
    ]

    /// The frames: `(toxic, template)`.
    static let frames: [(toxic: Bool, template: String)] = [
        // Toxic: contempt, dehumanisation, exclusion, threats.
        (true, "{P} are {J}."), (true, "{P} are {N}."), (true, "All {P} are {J} {N}."), (true, "I {H} {P}."),
        (true, "I {H} every one of those {P}."), (true, "{P} should {F}."), (true, "All {P} must {F}."),
        (true, "I want to {V} {P}."), (true, "I'm going to {V} the next {A_BARE} I see."),
        (true, "Somebody should {V} those {P}."), (true, "Honestly {P} are {J} and always will be."),
        (true, "{A} is always {J}."), (true, "Never trust {A}, they're all {N}."),
        (true, "{P} don't belong in this country."), (true, "Get these {J} {P} out of my neighbourhood."),
        (true, "{P} aren't even human."), (true, "It's a fact that {P} are {J}."), (true, "Why are {P} so {J}?"),
        (true, "{P} make me sick."), (true, "Those {P} are {N}, nothing more."), (true, "We need to {V} all {P}."),
        (true, "The world would be better if {P} would {F}."), (true, "{P} breed like {N}."),
        (true, "Don't let {P} near your kids."), (true, "ugh {P} are so {J} lol"),
        (true, "{A} is not a real person, just {N}."),
        // Not toxic: praise.
        (false, "{P} are {G}."), (false, "I {L} {P}."), (false, "So grateful for the {P} in my life."),
        (false, "{P} deserve respect and safety."), (false, "Our team is better because of the {P} on it."),
        (false, "Happy to welcome {P} to our town."), (false, "{A} helped me today, so {G}."),
        (false, "Shout out to all the {P} out there, you are {G}!"), (false, "{P} are {G} and I {L} them."),
        (false, "I'm proud to {L} {P}."), (false, "{P} have every right to live here."),
        // Not toxic: neutral mentions.
        (false, "{P} live all over the world."), (false, "I work with {A}."), (false, "My neighbour is {A}."),
        (false, "The report looks at how {P} vote."), (false, "How many {P} live in Canada?"),
        (false, "The documentary follows three {P}."), (false, "There is a support group for {P} on Tuesdays."),
        (false, "{A} moved in downstairs last week."), (false, "We interviewed {P} about housing."),
        (false, "I am {A}."), (false, "As {A}, I have thoughts on this."), (false, "The new law affects {P}."),
        (false, "She wrote a book about {P}."), (false, "The clinic serves {P} and their families."),
        (false, "Are there any {P} in the group?"), (false, "My teacher was {A}."),
        // Not toxic: negated hate.
        (false, "{P} are not {J}."), (false, "{P} aren't {N}."), (false, "I don't {H} {P}."),
        (false, "I do not {H} {P} at all."), (false, "I would never {V} {A}."), (false, "Nobody should {V} {P}."),
        (false, "{P} shouldn't {F}."), (false, "It's not true that {P} are {J}."),
        (false, "I've never thought {P} were {J}."), (false, "{P} are in no way {J}."),
        (false, "I don't think {P} are {J}."), (false, "None of the {P} I know are {J}."),
        (false, "No, {P} are not {N}."), (false, "Why would anyone {H} {P}?"),
        // Not toxic: counter-speech.
        (false, "Calling {P} {N} is {W}."), (false, "It's {W} to say {P} are {J}."),
        (false, "Saying {P} should {F} is {W}."), (false, "I'm sick of people saying {P} are {J}."),
        (false, "Someone told me {P} are {J}. That's {W}."), (false, "The claim that {P} are {J} is {W}."),
        (false, "Stop telling people to {V} {P}."), (false, "\"{P} are {N}\" - no, that is {W}."),
        (false, "Anyone who says they {H} {P} needs help."), (false, "My boss said {P} are {J} and I reported him."),
        (false, "People who want to {V} {P} belong in prison."), (false, "There is no excuse for calling {A} {J}."),
        (false, "He shouted that {P} should {F}. Absolutely {W}."), (false, "If you {H} {P}, unfollow me."),
        (false, "I reported a post calling {P} {N}."), (false, "Hate against {P} has no place here."),
        (false, "I was called {N} for being {A}, and it hurt."), (false, "Telling {P} to {F} is {W}."),
        (false, "The idea that {P} are {N} is {W}."), (false, "Why do people still call {P} {J}? It's {W}."),
    ]

    static let untargetedProfanity = ["{X}, {M}.", "{X}! {M}.", "{M}, {X_LOWER}.", "{X}... {M}!"]

    static let selfReference = [
        "As a queer person I'm proud of who I am.", "Us queers know how to throw a party.",
        "I'm a crip and I say it with a grin.", "Just an old fart enjoying the sunshine.",
        "Queer, trans and thriving.", "We dykes are running the softball league this year.",
        "Proud fag, proud son, proud brother.", "Call me a crip, I call myself one too.",
        "Old geezers like me still ride bikes.", "Being a queer kid in a small town made me tough.",
        "Me and my fellow weirdos at the disability meetup.", "I'm a proud nerdy queer.",
    ]

    /// Every sentence, labelled: each frame for each group with `perFrame` draws of its word-list slots (frames
    /// without a slot other than the group once per group); then each profanity pattern with every exclamation
    /// and mishap, and the self-description sentences. Deterministic for a seed.
    public static func sentences(perFrame: Int = 2, seed: UInt64 = 1) -> [LabeledText] {
        var random = SplitMix64(seed: seed)
        var result: [LabeledText] = []
        var seen: Set<String> = []
        func pick(_ list: [String]) -> String { list[Int(random.next() % UInt64(list.count))] }
        func add(_ text: String, toxic: Bool, source: String) {
            guard seen.insert(text).inserted else { return }
            result.append(LabeledText(text: text, toxic: toxic, source: source))
        }
        for (frameIndex, frame) in frames.enumerated() {
            let hasWordSlot = ["{J}", "{N}", "{H}", "{V}", "{F}", "{G}", "{L}", "{W}"].contains {
                frame.template.contains($0)
            }
            for group in groups {
                for _ in 0..<(hasWordSlot ? perFrame : 1) {
                    var text = frame.template
                    text = text.replacingOccurrences(of: "{P}", with: group.plural)
                    text = text.replacingOccurrences(of: "{A_BARE}", with: bare(group.singular))
                    text = text.replacingOccurrences(of: "{A}", with: group.singular)
                    for (slot, list) in [
                        ("{J}", insultAdjectives), ("{N}", insultNouns), ("{H}", hateVerbs), ("{V}", violentVerbs),
                        ("{F}", fates), ("{G}", praise), ("{L}", loveVerbs), ("{W}", verdicts),
                    ] where text.contains(slot) {
                        text = text.replacingOccurrences(of: slot, with: pick(list))
                    }
                    add(capitalised(text), toxic: frame.toxic, source: "contrast:frame\(frameIndex + 1)")
                }
            }
        }
        for (patternIndex, pattern) in untargetedProfanity.enumerated() {
            for expletive in expletives {
                for mishap in mishaps {
                    let text = pattern.replacingOccurrences(of: "{X_LOWER}", with: expletive.lowercased())
                        .replacingOccurrences(of: "{X}", with: expletive)
                        .replacingOccurrences(of: "{M}", with: mishap)
                    add(capitalised(text), toxic: false, source: "contrast:profanity\(patternIndex + 1)")
                }
            }
        }
        for (index, text) in selfReference.enumerated() {
            add(text, toxic: false, source: "contrast:self\(index + 1)")
        }
        return result
    }

    private static func bare(_ singular: String) -> String {
        for article in ["a ", "an "] where singular.hasPrefix(article) {
            return String(singular.dropFirst(article.count))
        }
        return singular
    }

    private static func capitalised(_ text: String) -> String {
        guard let first = text.first, first.isLowercase, !text.hasPrefix("ugh") else { return text }
        return first.uppercased() + text.dropFirst()
    }
}
