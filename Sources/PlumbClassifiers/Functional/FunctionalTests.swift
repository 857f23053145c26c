import Foundation
public import PlumbCore

/// Functional tests for toxicity classifiers, written by the Plumb team in the spirit of HateCheck (Röttger et al.
/// 2021) and CheckList (Ribeiro et al. 2020): functionalities × groups × templates, our own wording (no case is
/// copied from a published set). Each functionality says what a classifier should do with its cases: flag them
/// (hateful) or not (non-hateful statements that mention a group, quote hate to reject it, negate it, swear at
/// nobody…). Templates are split in two: `dev` templates may guide a classifier's training or tuning; `heldOut`
/// ones must not, and are what the published figures are measured on. Docs/classifiers.md#functional-tests.
public enum FunctionalTests {
    /// A protected group: the plural noun phrase (`{p}`) and a singular one with its article (`{a}`).
    public struct Group: Sendable, Hashable {
        public var name: String
        public var plural: String
        public var singular: String
    }

    public struct Functionality: Sendable, Hashable {
        public var id: String
        public var summary: String
        /// Whether its cases are hateful (a classifier should flag them).
        public var hateful: Bool
        /// Templates with `{p}` and `{a}`; the last third are held out.
        public var templates: [String]
    }

    public struct Case: Sendable, Hashable {
        public var functionality: String
        public var group: String
        public var text: String
        public var hateful: Bool
        public var heldOut: Bool
    }

    public static let groups: [Group] = [
        Group(name: "women", plural: "women", singular: "a woman"),
        Group(name: "trans people", plural: "trans people", singular: "a trans person"),
        Group(name: "gay people", plural: "gay people", singular: "a gay man"),
        Group(name: "black people", plural: "black people", singular: "a black person"),
        Group(name: "disabled people", plural: "disabled people", singular: "a disabled person"),
        Group(name: "Muslims", plural: "Muslims", singular: "a Muslim"),
        Group(name: "immigrants", plural: "immigrants", singular: "an immigrant"),
        Group(name: "Jews", plural: "Jewish people", singular: "a Jewish person"),
        Group(name: "refugees", plural: "refugees", singular: "a refugee"),
        Group(name: "older people", plural: "old people", singular: "an old person"),
    ]

    public static let functionalities: [Functionality] = [
        Functionality(
            id: "derogation-explicit",
            summary: "explicit contempt for a group",
            hateful: true,
            templates: [
                "{p} are disgusting.", "I despise {p}.", "All {p} are vermin.", "{p} are worthless trash.",
                "I can't stand {p}, they make me sick.", "{p} are the lowest form of life.",
                "Every single one of those {p} is pathetic.", "{p} are filthy animals.", "I hate {p} so much.",
            ]
        ),
        Functionality(
            id: "derogation-implicit",
            summary: "contempt without insulting words",
            hateful: true,
            templates: [
                "Keep {p} away from our children.", "{p} ruin every neighbourhood they move into.",
                "Of course {a} would mess that up.", "{p} should not be allowed to vote.",
                "Never hire {a}, you'll regret it.", "This country was better before {p} showed up.",
                "{p} are a burden on the rest of us.", "Nobody wants {p} living next door.",
                "{p} don't deserve the same rights as normal people.",
            ]
        ),
        Functionality(
            id: "threat",
            summary: "threats of violence against a group",
            hateful: true,
            templates: [
                "I will hurt any of those {p} I meet.", "{p} should be wiped out.",
                "Someone should beat up every {p} in this town.", "We are going to make {p} pay with blood.",
                "I'd happily kill {a} if I got the chance.", "Line up the {p} and shoot them.",
                "{p} deserve to be burned out of their homes.", "I'm going to attack the next {p} I see.",
                "All {p} should be put down.",
            ]
        ),
        Functionality(
            id: "spelling-variation",
            summary: "hate with obfuscated spelling",
            hateful: true,
            templates: [
                "{p} are d1sgusting.", "I h8 {p}.", "{p} are w o r t h l e s s.", "I haaaate {p}.",
                "{p} are subhum4n.", "f*** all {p}.", "{p} are disgusstingg.", "k1ll all {p}.",
                "{p} r trash.",
            ]
        ),
        Functionality(
            id: "identity-positive",
            summary: "positive statements about a group",
            hateful: false,
            templates: [
                "I love {p}.", "{p} are great.", "{p} make this city a better place.", "I respect {p}.",
                "{p} are welcome here.", "Proud to stand with {p}.", "{p} are brilliant and kind.",
                "My neighbour is {a} and she is wonderful.", "We should celebrate {p}.",
            ]
        ),
        Functionality(
            id: "identity-neutral",
            summary: "neutral statements that mention a group",
            hateful: false,
            templates: [
                "I met two {p} at the conference.", "The survey asked {p} about public transport.",
                "Many {p} live in this district.", "She is {a}.", "The article is about {p} in rural areas.",
                "There are {p} on the committee.", "The library runs a reading group for {p}.",
                "My cousin is {a}.", "The census counts {p} separately.",
            ]
        ),
        Functionality(
            id: "counter-speech",
            summary: "quoting or referencing hate to reject it",
            hateful: false,
            templates: [
                "Saying that {p} are disgusting is hateful and wrong.", "It is not okay to call {p} vermin.",
                "Stop spreading the lie that {p} are dangerous.",
                "If you think {p} are worthless, you need to educate yourself.",
                "People who say they hate {p} should be ashamed.", "\"{p} are trash\" is a vile thing to say.",
                "I reported the post that said {p} should be wiped out.",
                "Claiming {p} are subhuman is bigotry, plain and simple.",
                "Anyone who threatens {p} should face the law.",
            ]
        ),
        Functionality(
            id: "negated-hate",
            summary: "negated hateful statements",
            hateful: false,
            templates: [
                "I don't hate {p}.", "{p} are not disgusting at all.", "I would never hurt {a}.",
                "No one should say {p} are inferior.", "{p} are not a burden on anyone.",
                "I have nothing against {p}.", "It's false that {p} are dangerous.",
                "{p} are not worthless.", "I never said I hate {p}.",
            ]
        ),
        Functionality(
            id: "profanity-untargeted",
            summary: "swearing aimed at no one",
            hateful: false,
            templates: [
                "Fuck, I missed the bus again.", "This damn printer never works.", "Holy shit, that was a great game!",
                "What the hell happened to the weather?", "Shit, I forgot my keys.",
                "That concert was fucking amazing.", "Damn, this coffee is good.",
                "Oh crap, the meeting starts in five minutes.", "Bloody hell, the train is late.",
            ]
        ),
        Functionality(
            id: "reclaimed-self-reference",
            summary: "in-group reclaimed or self-descriptive terms",
            hateful: false,
            templates: [
                "As a queer woman, I'm proud of who I am.", "We queer folks throw the best parties.",
                "Being a crip, I know which buildings are accessible.", "Us old geezers still know how to dance.",
                "Proud to be a bit of a nerdy queer kid.", "My fellow queers, happy pride!",
                "As a disabled person, I call myself a crip and I own it.",
                "Queer and here, as always.", "We old-timers remember the flood of '79.",
            ]
        ),
    ]

    /// Every case, in order: functionalities × templates × groups (templates without a group placeholder once).
    public static let cases: [Case] = {
        var cases: [Case] = []
        for functionality in functionalities {
            let heldOutFrom = functionality.templates.count - functionality.templates.count / 3
            for (index, template) in functionality.templates.enumerated() {
                let heldOut = index >= heldOutFrom
                guard template.contains("{p}") || template.contains("{a}") else {
                    cases.append(
                        Case(
                            functionality: functionality.id,
                            group: "",
                            text: template,
                            hateful: functionality.hateful,
                            heldOut: heldOut
                        )
                    )
                    continue
                }
                for group in groups {
                    var text = template.replacingOccurrences(of: "{p}", with: group.plural)
                        .replacingOccurrences(of: "{a}", with: group.singular)
                    if let first = text.first, first.isLowercase { text = first.uppercased() + text.dropFirst() }
                    cases.append(
                        Case(
                            functionality: functionality.id,
                            group: group.name,
                            text: text,
                            hateful: functionality.hateful,
                            heldOut: heldOut
                        )
                    )
                }
            }
        }
        return cases
    }()
}
