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
    /// Contempt without insulting words: stereotypes, exclusion, suspicion.
    static let stereotypes = [
        "can't be trusted", "only come here to take our benefits", "bring crime wherever they go",
        "are ruining our schools", "shouldn't be allowed near children", "are taking over everything",
        "are a drain on the economy", "can't think for themselves", "don't belong in decent society",
        "are all the same, liars and cheats", "have no place in this country", "are destroying our culture",
        "should stay in their own neighbourhoods", "are not fit to raise kids", "should never hold office",
        "are why this town went downhill",
    ]
    /// Negatable forms of some stereotypes (for "{P} don't …").
    static let stereotypesNegated = [
        "steal jobs", "bring crime with them", "ruin neighbourhoods", "live off benefits", "hate this country",
        "abuse children", "lie more than anyone else",
    ]
    /// Threats and calls for violence, as predicates of the group.
    static let threats = [
        "deserve a bullet", "should be hunted down", "need to be dealt with permanently",
        "will get what's coming to them", "should be dragged into the street", "need to be burned out",
        "should be lined up against a wall", "are going to pay in blood", "deserve to be beaten",
        "should all be strung up",
    ]
    /// Insults for a person.
    static let personInsults = [
        "idiot", "moron", "loser", "clown", "piece of garbage", "waste of space", "pathetic excuse for a human",
        "brainless fool", "disgusting creep", "worthless pig",
    ]
    /// Harmless sentences with words of violence or insult (homonyms), none about a group.
    static let homonyms = [
        "How do I kill a process that hangs on Linux?", "That guitar solo was sick!", "We shot the photos at dawn.",
        "The comedian absolutely killed it tonight.", "This workout is murdering my legs.",
        "I could strangle a coffee right now, I'm so tired.", "Let's blow up this balloon for the party.",
        "The new phone is a beast.", "Execute the script and check the logs.", "The stock price got slaughtered today.",
        "My sister is a savage at chess.", "That exam destroyed me.", "You absolute legend, thank you!",
        "Shoot me a message when you land.", "The band smashed it at the festival.",
        "Terminate the child processes before you exit.", "She's a killer negotiator.",
        "I'm dying to see the new film.", "Attack the problem from a different angle.", "This cake is wicked good.",
    ]

    /// The frames: `(toxic, template)`. Slots: `{P}` group (plural), `{A}` a member with article, `{A_BARE}` without,
    /// `{J}` insulting adjective, `{N}` insulting noun, `{H}` verb of hate, `{V}` verb of violence, `{F}` fate,
    /// `{S}` stereotype (`{S_NEG}` one that can follow "don't"), `{T}` threat, `{G}` praise, `{L}` verb of respect,
    /// `{W}` verdict on a hateful claim, `{I}` insult for a person. Frames without a group are drawn 12 × as often.
    static let frames: [(toxic: Bool, template: String)] = [
        // Toxic: explicit contempt and dehumanisation.
        (true, "{P} are {J}."), (true, "{P} are {N}."), (true, "All {P} are {J} {N}."), (true, "I {H} {P}."),
        (true, "I {H} every one of those {P}."), (true, "Honestly {P} are {J} and always will be."),
        (true, "{A} is always {J}."), (true, "Never trust {A}, they're all {N}."), (true, "{P} aren't even human."),
        (true, "It's a fact that {P} are {J}."), (true, "Why are {P} so {J}?"), (true, "{P} make me sick."),
        (true, "Those {P} are {N}, nothing more."), (true, "{P} breed like {N}."), (true, "ugh {P} are so {J} lol"),
        (true, "{A} is not a real person, just {N}."), (true, "Typical {A_BARE}, {J} as always."),
        (true, "The {P} around here are {J} {N}."), (true, "{P}? {N}, every last one."),
        (true, "Can we admit that {P} are {J}?"), (true, "My neighbour is {A}, {J} {N} like the rest of them."),
        (true, "I {H} {P} and I'm not ashamed to say it."), (true, "{P} are a disease on this planet."),
        // Toxic: exclusion and stereotypes without insulting words.
        (true, "{P} {S}."), (true, "Everyone knows {P} {S}."), (true, "Let's be honest, {P} {S}."),
        (true, "{P} don't belong in this country."), (true, "Don't let {P} near your kids."),
        (true, "I'd never rent my flat to {A}."), (true, "Go back where you came from, {P} aren't wanted here."),
        (true, "Don't hire {A}, trust me."), (true, "Things were better before {P} moved in."),
        (true, "{P} should {F}."), (true, "All {P} must {F}."), (true, "The world would be better if {P} would {F}."),
        // Toxic: threats.
        (true, "I want to {V} {P}."), (true, "I'm going to {V} the next {A_BARE} I see."),
        (true, "Somebody should {V} those {P}."), (true, "We need to {V} all {P}."), (true, "{P} {T}."),
        (true, "Every one of those {P} {T}."), (true, "Mark my words, {P} {T}."),
        (true, "I'll {V} any {A_BARE} who shows up here."), (true, "Time to {V} some {P}."),
        (true, "Death to {P}!"),
        // Toxic: insults aimed at a person (no group).
        (true, "You are such a {J} {I}."), (true, "Shut up, you {I}."),
        (true, "Anyone who disagrees is a complete {I}."),
        (true, "Whoever wrote this is a {J} {I}."), (true, "You're a {I} and everyone knows it."),
        (true, "Nobody asked you, you {J} {I}."),
        // Not toxic: praise.
        (false, "{P} are {G}."), (false, "I {L} {P}."), (false, "So grateful for the {P} in my life."),
        (false, "{P} deserve respect and safety."), (false, "Our team is better because of the {P} on it."),
        (false, "Happy to welcome {P} to our town."), (false, "{A} helped me today, so {G}."),
        (false, "Shout out to all the {P} out there, you are {G}!"), (false, "{P} are {G} and I {L} them."),
        (false, "I'm proud to {L} {P}."), (false, "{P} have every right to live here."),
        (false, "My best friend is {A} and I {L} her."), (false, "Honestly {P} are {G}."),
        (false, "Everyone knows {P} are {G}."), (false, "Let's be honest, {P} are {G}."),
        // Not toxic: neutral mentions.
        (false, "{P} live all over the world."), (false, "I work with {A}."), (false, "My neighbour is {A}."),
        (false, "The report looks at how {P} vote."), (false, "How many {P} live in Canada?"),
        (false, "The documentary follows three {P}."), (false, "There is a support group for {P} on Tuesdays."),
        (false, "{A} moved in downstairs last week."), (false, "We interviewed {P} about housing."),
        (false, "I am {A}."), (false, "As {A}, I have thoughts on this."), (false, "The new law affects {P}."),
        (false, "She wrote a book about {P}."), (false, "The clinic serves {P} and their families."),
        (false, "Are there any {P} in the group?"), (false, "My teacher was {A}."),
        (false, "Why are {P} underrepresented in tech?"), (false, "The {P} around here run a great bakery."),
        (false, "Things changed a lot after {P} moved in, the market got busier."),
        // Not toxic: negated hate.
        (false, "{P} are not {J}."), (false, "{P} aren't {N}."), (false, "I don't {H} {P}."),
        (false, "I do not {H} {P} at all."), (false, "I would never {V} {A}."), (false, "Nobody should {V} {P}."),
        (false, "{P} shouldn't {F}."), (false, "It's not true that {P} are {J}."),
        (false, "I've never thought {P} were {J}."), (false, "{P} are in no way {J}."),
        (false, "I don't think {P} are {J}."), (false, "None of the {P} I know are {J}."),
        (false, "No, {P} are not {N}."), (false, "Why would anyone {H} {P}?"), (false, "It's a myth that {P} {S}."),
        (false, "{P} don't {S_NEG}."), (false, "No one believes {P} {S} anymore."),
        (false, "I never said {P} {T}."), (false, "Not a single one of the {P} I know is {J}."),
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
        (false, "The comments saying {P} {T} were deleted, good."), (false, "Claiming that {P} {S} is {W}."),
        (false, "Someone wrote '{P} {T}' on the wall of the community centre. The police are looking into it."),
        (false, "The study debunks the stereotype that {P} {S}."),
        (false, "Threatening {P} is a crime, report it."), (false, "I can't believe people still think {P} {S}."),
        (false, "Someone spray-painted 'death to {P}' near the school. Disgusting, and it's been reported."),
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
            let hasWordSlot = slotLists.contains { frame.template.contains($0.slot) }
            let groupless = !frame.template.contains("{P}") && !frame.template.contains("{A")
            for group in groupless ? [groups[0]] : groups {
                for _ in 0..<(hasWordSlot ? (groupless ? perFrame * 12 : perFrame) : 1) {
                    var text = frame.template
                    text = text.replacingOccurrences(of: "{P}", with: group.plural)
                    text = text.replacingOccurrences(of: "{A_BARE}", with: bare(group.singular))
                    text = text.replacingOccurrences(of: "{A}", with: group.singular)
                    for (slot, list) in slotLists where text.contains(slot) {
                        var value = pick(list)
                        // A quarter of the insults, hate and violence are spelt as people disguise them, in every
                        // kind of frame, so that a disguise alone does not decide the label.
                        if obfuscatable.contains(slot), random.next() % 4 == 0 { value = obfuscated(value, &random) }
                        text = text.replacingOccurrences(of: slot, with: value)
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
        for (index, text) in homonyms.enumerated() {
            add(text, toxic: false, source: "contrast:homonym\(index + 1)")
        }
        return result
    }

    static let slotLists: [(slot: String, list: [String])] = [
        ("{J}", insultAdjectives), ("{N}", insultNouns), ("{H}", hateVerbs), ("{V}", violentVerbs), ("{F}", fates),
        ("{G}", praise), ("{L}", loveVerbs), ("{W}", verdicts), ("{S_NEG}", stereotypesNegated), ("{S}", stereotypes),
        ("{T}", threats), ("{I}", personInsults),
    ]
    static let obfuscatable: Set<String> = ["{J}", "{N}", "{H}", "{V}", "{I}"]

    /// One word of `phrase` (its longest, if it has at least 4 letters) disguised one of five ways, drawn with
    /// `random`: digits for letters (`a`→`4`, `e`→`3`, `i`→`1`, `o`→`0`, `s`→`5`), a `*` for its second vowel (its
    /// only one if it has one), spaces between its letters, its last letter tripled, or its first inner vowel
    /// dropped.
    static func obfuscated(_ phrase: String, _ random: inout SplitMix64) -> String {
        var words = phrase.split(separator: " ").map(String.init)
        guard let target = words.indices.max(by: { words[$0].count < words[$1].count }), words[target].count >= 4
        else { return phrase }
        let word = Array(words[target])
        let vowels: Set<Character> = ["a", "e", "i", "o", "u"]
        switch random.next() % 5 {
        case 0:
            let digits: [Character: Character] = ["a": "4", "e": "3", "i": "1", "o": "0", "s": "5"]
            words[target] = String(word.map { digits[$0] ?? $0 })
        case 1:
            let positions = word.indices.filter { vowels.contains(word[$0]) }
            var letters = word
            if let position = positions.count >= 2 ? positions[1] : positions.first { letters[position] = "*" }
            words[target] = String(letters)
        case 2:
            words[target] = word.map(String.init).joined(separator: " ")
        case 3:
            words[target] = String(word) + String(repeating: String(word.last!), count: 2)
        default:
            var letters = word
            if let inner = letters.indices.dropFirst().first(where: { vowels.contains(letters[$0]) }) {
                letters.remove(at: inner)
            }
            words[target] = String(letters)
        }
        return words.joined(separator: " ")
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
